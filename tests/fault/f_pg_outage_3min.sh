#!/usr/bin/env bash
# PostgreSQL stays away for three minutes while the daemon ingests: the
# daemon waits quietly (a handful of log lines, not one per attempt) and,
# once PostgreSQL is back, resumes within 2 s, however long the outage was;
# every event is then stored exactly once. Restarts the shared PostgreSQL:
# run serially. OUTAGE_S shortens the outage for a quick look.
. "$(dirname "$0")/lib_fault.sh"
OUTAGE_S=${OUTAGE_S:-180}
it_services
it_config "$IT_WORK/d.conf" "batch_size = 2000"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
it_produce -n 200000 --prefix long --binary-every 5
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
it_wait_rows_above 0 60 || it_fail "no progress before the stop"
rows=$(it_rows)
pg_stop immediate
down_lines=$(wc -l <"$IT_WORK/d.log")
it_log "PostgreSQL stopped for $OUTAGE_S s, rows stored before: $rows"
sleep "$OUTAGE_S"
back_lines=$(wc -l <"$IT_WORK/d.log")
if kill -0 "$pid" 2>/dev/null; then it_pass "daemon alive after $OUTAGE_S s without PostgreSQL"
else it_fail "daemon exited while PostgreSQL was down"; fi
pg_start
back_ms=$(date +%s%3N) # pg_start returns once PostgreSQL accepts connections
if it_wait_log "$IT_WORK/d.log" "PostgreSQL available again" 30; then
	line=$(grep -m1 "PostgreSQL available again" "$IT_WORK/d.log")
	resume_ms=$(($(date -d "${line%%Z *}Z" +%s%3N) - back_ms))
	it_log "resumed ${resume_ms} ms after PostgreSQL was back: $line"
	if [ "$resume_ms" -le 2000 ]; then it_pass "resumed within 2 s of PostgreSQL's return (${resume_ms} ms)"
	else it_fail "resumed ${resume_ms} ms after PostgreSQL's return, more than 2 s"; fi
else
	it_fail "never resumed after PostgreSQL's return"
fi
# While down: the pause and about one line a minute, nothing per attempt.
quiet=$((back_lines - down_lines))
limit=$((OUTAGE_S / 60 + 2))
sed -n "$((down_lines + 1)),${back_lines}p" "$IT_WORK/d.log" >&2
if [ "$quiet" -le "$limit" ]; then it_pass "$quiet log line(s) over the outage (<= $limit)"
else it_fail "$quiet log lines over a $OUTAGE_S s outage (> $limit): not quiet"; fi
it_wait_offsets "$IT_MSGS" 180 || true
fault_check_rss "$pid" 150 "daemon"
it_stop_daemon "$pid"
it_check_expect "$IT_WORK/expect"
it_eq "stored next offsets (sum over partitions)" "$IT_MSGS" "$(it_offsets_sum)"
it_eq "outages logged" 1 "$(grep -c 'PostgreSQL unavailable, pausing all partitions' "$IT_WORK/d.log")"
it_done
