#!/usr/bin/env bash
# With [postgresql] synchronous_commit = off, batches commit without waiting
# for PostgreSQL's flush: a crash of the server may take back the last ones,
# rows and stored offsets together (so may a failover to a standby that
# lagged, whatever the setting). The daemon must then read every position
# again from what PostgreSQL holds, even a partition that receives nothing
# more. Here the test plays the crash: with the
# daemon idle, it removes the last 40 events of complaints[0] (rows,
# identities, offset) and ends the daemon's session in the same transaction.
# Every event must come back from Kafka, once, with nothing new produced.
. "$(dirname "$0")/lib.sh"
it_services
it_config "$IT_WORK/d.conf" "retry_backoff_max_ms = 1000" "[postgresql]" \
	"synchronous_commit = off"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
it_produce -n 2000 --prefix lost
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
it_wait_offsets "$IT_MSGS" 60 || it_fail "not every message was stored"
it_eq "every event stored" "$IT_MSGS" "$(it_rows)"
topic=${IT_TOPICS}complaints
next=$(it_psql -c "SELECT next_offset FROM disclosed.consumer_offset WHERE topic = '$topic' AND kafka_partition = 0")
from=$((next - 40))
[ "$from" -gt 0 ] || it_fail "complaints[0] holds only $next messages"
where="topic = '$topic' AND kafka_partition = 0 AND kafka_offset >= $from"
lost=$(it_psql -c "SELECT count(*) FROM disclosed.raw_event WHERE $where")
{
	echo "BEGIN;"
	# The daemon reads its positions again only after this commits.
	echo "LOCK TABLE disclosed.consumer_offset IN ACCESS EXCLUSIVE MODE;"
	echo "DELETE FROM disclosed.event_identity i USING disclosed.raw_event r
	       WHERE r.$where AND i.source = r.source AND i.event_id = r.event_id;"
	while read -r _ table _; do echo "DELETE FROM $table WHERE $where;"; done < <("$DISCLOSED" types)
	echo "UPDATE disclosed.consumer_offset SET next_offset = $from
	       WHERE topic = '$topic' AND kafka_partition = 0;"
	echo "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
	       WHERE datname = current_database() AND application_name = 'disclosed';"
	echo "COMMIT;"
} >"$IT_WORK/crash.sql"
it_psql -f "$IT_WORK/crash.sql" >/dev/null
it_eq "events taken back by the 'crash'" "$((IT_MSGS - lost))" "$(it_rows)"
it_wait_sql "SELECT count(*) FROM disclosed.raw_event" "$IT_MSGS" 30 ||
	it_fail "the events taken back were not read again from Kafka"
it_wait_offsets "$IT_MSGS" 30 || it_fail "the stored offsets did not come back"
it_eq "lost session noticed while idle" 1 \
	"$(grep -c 'connection to PostgreSQL was lost while idle' "$IT_WORK/d.log")"
it_eq "complaints[0] read again from the stored offset" 1 \
	"$(grep -c "partition active topic=$topic partition=0 start=$from\b" "$IT_WORK/d.log")"
it_stop_daemon "$pid"
it_check_expect "$IT_WORK/expect"
it_eq "stored next offsets (sum over partitions)" "$IT_MSGS" "$(it_offsets_sum)"
it_spans "at the end"
it_done
