#!/usr/bin/env bash
# Three daemons in one consumer group while the producer also sends
# duplicates; one of them is killed with SIGKILL and restarted again and
# again, so partitions move while batches are in flight. In the end every
# event is stored exactly once, the survivors exit 0, memory stays bounded.
. "$(dirname "$0")/lib_fault.sh"
it_services
it_config "$IT_WORK/d.conf" "batch_size = 1000" "flush_interval_ms = 100" \
	"[kafka]" "session.timeout.ms = 6000" "heartbeat.interval.ms = 1000"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
it_produce -n 300000 --prefix three --dup-every 50 --binary-every 7
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/a.log"; a=$IT_PID
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/b.log"; b=$IT_PID
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/c.log"; c=$IT_PID
kills=0
for round in 1 2 3 4; do
	before=$(it_rows)
	it_wait_rows_above "$((before + 5000))" 90 || it_log "slow progress in round $round"
	kill -KILL "$c"
	wait "$c" 2>/dev/null || true
	[ "$(it_rows)" -lt 300000 ] && kills=$((kills + 1))
	it_log "round $round: killed member $c at $(it_rows) rows"
	it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/c.log"; c=$IT_PID
done
if [ "$kills" -ge 3 ]; then
	it_pass "$kills kills landed mid-ingest"
else
	it_fail "only $kills kills landed mid-ingest"
fi
it_wait_offsets "$IT_MSGS" 300 || true
for p in "$a" "$b" "$c"; do fault_check_rss "$p" 150 "member $p"; done
it_stop_daemon "$a"
it_stop_daemon "$b"
it_stop_daemon "$c"
it_check_expect "$IT_WORK/expect"
it_eq "stored next offsets (sum over partitions)" "$IT_MSGS" "$(it_offsets_sum)"
# Three writers' deltas add up to the counts the spans give.
it_spans "after three members"
dups=$(cat "$IT_WORK"/*.log | sed -n 's/.*stopped consumed=[0-9]* stored=[0-9]* duplicates=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
if [ "$dups" -gt 0 ]; then
	it_pass "producer duplicates skipped ($dups seen by the members that stopped cleanly)"
else
	it_fail "no duplicate was seen"
fi
it_done
