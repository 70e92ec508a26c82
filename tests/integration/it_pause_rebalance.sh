#!/usr/bin/env bash
# Partitions that move while PostgreSQL is unavailable come back unpaused.
# librdkafka keeps a partition's pause across a rebalance: a member that
# paused everything for an outage, lost those partitions in a rebalance
# during it and got them back after it would hold them paused for good, and
# their events would wait forever. Here member a pauses for an outage, b
# joins during it (a's partitions are revoked), the database returns, b
# leaves: a owns every partition again and must store every new event.
. "$(dirname "$0")/lib.sh"
it_services
it_config "$IT_WORK/d.conf" "retry_backoff_max_ms = 500" \
	"[kafka]" "session.timeout.ms = 6000" "heartbeat.interval.ms = 1000"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate >/dev/null
it_produce -n 1000 --prefix pr1
first=$IT_MSGS
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/a.log"; a=$IT_PID
it_wait_offsets "$first" 60 || it_fail "the first events were not stored"
it_read_only on
it_wait_log "$IT_WORK/a.log" "PostgreSQL unavailable, pausing all partitions" 30 ||
	it_fail "member a did not pause for the outage"
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/b.log"; b=$IT_PID
it_wait_log "$IT_WORK/b.log" "assigned [1-9][0-9]* partition" 60 ||
	it_fail "member b got no partition during the outage"
it_wait_log "$IT_WORK/a.log" "revoked" 30 || it_fail "member a lost no partition during the outage"
it_read_only off
it_wait_log "$IT_WORK/a.log" "PostgreSQL available again" 30 || it_fail "member a did not resume"
it_stop_daemon "$b"
# The second time a holds all 28 (7 topics of 4 partitions).
deadline=$((SECONDS + 60))
while [ "$(grep -c "assigned 28 partition" "$IT_WORK/a.log")" -lt 2 ] && [ $SECONDS -lt $deadline ]; do
	sleep 0.2
done
it_eq "member a holds every partition again" 2 "$(grep -c "assigned 28 partition" "$IT_WORK/a.log")"
it_produce -n 1000 --prefix pr2
if it_wait_offsets "$((first + IT_MSGS))" 60; then
	it_pass "member a stores the events of the partitions it got back"
else
	it_fail "offsets stored: $(it_offsets_sum) of $((first + IT_MSGS))"
fi
it_stop_daemon "$a"
it_eq "stored events" "$((first + IT_MSGS))" "$(it_rows)"
it_eq "events stored twice" 0 \
	"$(it_psql -c "SELECT count(*) - count(DISTINCT (source, event_id)) FROM disclosed.raw_event")"
it_done
