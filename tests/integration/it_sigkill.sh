#!/usr/bin/env bash
# The daemon is killed with SIGKILL at random moments while it ingests and
# restarted each time; in the end every event is stored exactly once.
. "$(dirname "$0")/lib.sh"
it_services
# A short session lets a restarted member take over quickly.
it_config "$IT_WORK/d.conf" "batch_size = 2000" "flush_interval_ms = 100" \
	"[kafka]" "session.timeout.ms = 6000" "heartbeat.interval.ms = 1000"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
total=300000
it_produce -n $total --prefix kill --binary-every 3 --dup-every 100
msgs=$IT_MSGS
kills=0
for round in 1 2 3 4 5 6; do
	before=$(it_rows)
	it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
	# Kill only once this run is storing rows: mid-ingest, mid-batch.
	it_wait_rows_above "$before" 60 || true
	sleep "$(awk -v s=$RANDOM 'BEGIN { srand(s); printf "%.2f", rand() * 0.4 }')"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null || true
	after=$(it_rows)
	it_log "round $round: killed pid $pid, rows $before -> $after"
	[ "$after" -gt "$before" ] && [ "$after" -lt "$total" ] && kills=$((kills + 1))
done
if [ "$kills" -ge 5 ]; then
	it_pass "$kills kills landed mid-ingest"
else
	it_fail "only $kills of 6 kills landed before the end of ingest"
fi
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
it_wait_offsets "$msgs" 180 || true
it_stop_daemon "$pid"
it_check_expect "$IT_WORK/expect"
it_eq "stored next offsets (sum over partitions)" "$msgs" "$(it_offsets_sum)"
it_done
