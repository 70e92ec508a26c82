#!/usr/bin/env bash
# PostgreSQL goes away twice while the daemon ingests (pg_ctl stop -m
# immediate, then -m fast) and comes back seconds later: the daemon pauses,
# keeps polling, never exits, and resumes where it stopped; every event is
# stored exactly once, memory bounded. Restarts the shared PostgreSQL: run
# serially.
. "$(dirname "$0")/lib_fault.sh"
it_services
it_config "$IT_WORK/d.conf" "batch_size = 2000" "retry_backoff_max_ms = 1000"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
it_produce -n 200000 --prefix out --binary-every 4
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
for mode in immediate fast; do
	before=$(it_rows)
	it_wait_rows_above "$before" 60 || it_fail "no progress before the $mode stop"
	pg_stop "$mode"
	sleep 4
	if kill -0 "$pid" 2>/dev/null; then it_pass "daemon alive with PostgreSQL down ($mode)"
	else it_fail "daemon exited while PostgreSQL was down ($mode)"; fi
	pg_start
	it_log "PostgreSQL back after the $mode stop, rows so far: $(it_rows)"
done
it_wait_offsets "$IT_MSGS" 180 || true
fault_check_rss "$pid" 150 "daemon"
it_stop_daemon "$pid"
it_check_expect "$IT_WORK/expect"
it_eq "stored next offsets (sum over partitions)" "$IT_MSGS" "$(it_offsets_sum)"
it_eq "outages logged and recovered from" 2 "$(grep -c 'PostgreSQL available again' "$IT_WORK/d.log")"
it_eq "paused while down" 2 "$(grep -c 'PostgreSQL unavailable, pausing all partitions' "$IT_WORK/d.log")"
it_done
