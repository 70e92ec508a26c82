#!/usr/bin/env bash
# Two daemons in one consumer group: the second joins mid-ingest and the
# first leaves (SIGTERM) mid-ingest, so partitions move while batches are in
# flight; every event is stored exactly once and both exit 0.
. "$(dirname "$0")/lib.sh"
it_services
it_config "$IT_WORK/d.conf" "batch_size = 2000" "flush_interval_ms = 100" \
	"[kafka]" "session.timeout.ms = 6000" "heartbeat.interval.ms = 1000"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
it_produce -n 300000 --prefix reb --dup-every 300
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/a.log"; a=$IT_PID
it_wait_rows_above 10000 60 || it_fail "first daemon made no progress"
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/b.log"; b=$IT_PID
it_wait_log "$IT_WORK/b.log" "assigned [1-9][0-9]* partition" 60 || it_fail "the second member got no partition within 60 s"
mid=$(it_rows)
it_wait_rows_above "$((mid + 10000))" 60 || it_fail "no progress after the second joined"
if [ "$(it_rows)" -lt 290000 ]; then
	it_pass "the second daemon joined mid-ingest"
else
	it_fail "ingest was nearly over before the rebalance"
fi
it_stop_daemon "$a"
it_wait_offsets "$IT_MSGS" 180 || true
it_stop_daemon "$b"
it_check_expect "$IT_WORK/expect"
it_eq "stored next offsets (sum over partitions)" "$IT_MSGS" "$(it_offsets_sum)"
it_done
