#!/usr/bin/env bash
# PostgreSQL up but refusing writes (a standby after a failover, a database
# set read-only): the daemon pauses, retries with a backoff that grows to
# retry_backoff_max_ms rather than hammering the server, says why once
# (SQLSTATE 25006) rather than at every try, and resumes by itself when
# writes are allowed again; every event is stored exactly once.
. "$(dirname "$0")/lib.sh"
it_services
it_config "$IT_WORK/d.conf" "retry_backoff_max_ms = 1600"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate >/dev/null 2>&1
it_produce -n 2000 --prefix ro1
first=$IT_MSGS
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
it_wait_offsets "$first" 60 || true
it_read_only on
it_produce -n 2000 --prefix ro2
sleep 8
if kill -0 "$pid" 2>/dev/null; then
	it_pass "daemon alive while writes are refused"
else
	it_fail "daemon exited"
fi
if grep -q "SQLSTATE 25006" "$IT_WORK/d.log"; then
	it_pass "the log gives PostgreSQL's reason (25006)"
else
	it_fail "no SQLSTATE in the log"
fi
it_read_only off
it_wait_offsets "$((first + IT_MSGS))" 60 || true
it_stop_daemon "$pid"
it_eq "stored events" "$((first + IT_MSGS))" "$(it_rows)"
it_eq "events stored twice" 0 "$(it_psql -c "SELECT count(*) - count(DISTINCT (source, event_id)) FROM disclosed.raw_event")"
it_eq "recovered once" 1 "$(grep -c 'PostgreSQL available again' "$IT_WORK/d.log")"
# The log stays quiet while it waits (a line when it starts, one when the
# reason changes, one a minute); the attempts it counts show the backoff:
# doubling from 100 ms to 1.6 s over the outage of about 10 s is a handful,
# not the hundred that a fixed 100 ms would make.
attempts=$(sed -n 's/.*PostgreSQL available again.*, \([0-9]*\) failed attempt.*/\1/p' "$IT_WORK/d.log")
if [ -n "$attempts" ] && [ "$attempts" -ge 4 ] && [ "$attempts" -le 25 ]; then
	it_pass "the retries back off: $attempts failed attempts over the outage"
else
	it_fail "failed attempts over the outage: '$attempts'"
fi
lines=$(grep -c "PostgreSQL.*unavailable" "$IT_WORK/d.log")
if [ "$lines" -le 3 ]; then
	it_pass "the outage took $lines log line(s)"
else
	it_fail "the outage took $lines log lines"
fi
it_done
