#!/usr/bin/env bash
# PostgreSQL up but refusing writes (a standby after a failover, a database
# set read-only): the daemon pauses, retries with a backoff that grows to
# retry_backoff_max_ms rather than hammering the server, and resumes by
# itself when writes are allowed again; every event is stored exactly once.
. "$(dirname "$0")/lib.sh"
it_services
it_config "$IT_WORK/d.conf" "retry_backoff_max_ms = 1600"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate >/dev/null 2>&1
it_produce -n 2000 --prefix ro1
first=$IT_MSGS
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
it_wait_offsets "$first" 60 || true
# read_only: new sessions only; end the daemon's so that it reconnects.
read_only() {
	it_admin_psql -c "ALTER DATABASE $IT_DB SET default_transaction_read_only = $1" \
		-c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$IT_DB'" >/dev/null
}
read_only on
it_produce -n 2000 --prefix ro2
sleep 8
if kill -0 "$pid" 2>/dev/null; then
	it_pass "daemon alive while writes are refused"
else
	it_fail "daemon exited"
fi
waits=$(sed -n 's/.*still unavailable (next try in \([0-9]*\) ms).*/\1/p' "$IT_WORK/d.log" | tr '\n' ' ')
case "$waits" in "200 400 800 1600 1600"*) it_pass "the retry backoff grows to the maximum: $waits" ;;
	*) it_fail "retry waits: '$waits'" ;; esac
if grep -q "SQLSTATE 25006" "$IT_WORK/d.log"; then
	it_pass "the log gives PostgreSQL's reason (25006)"
else
	it_fail "no SQLSTATE in the log"
fi
read_only off
it_wait_offsets "$((first + IT_MSGS))" 60 || true
it_stop_daemon "$pid"
it_eq "stored events" "$((first + IT_MSGS))" "$(it_rows)"
it_eq "events stored twice" 0 "$(it_psql -c "SELECT count(*) - count(DISTINCT (source, event_id)) FROM disclosed.raw_event")"
it_eq "recovered once" 1 "$(grep -c 'PostgreSQL available again' "$IT_WORK/d.log")"
it_done
