#!/usr/bin/env bash
# The Kafka broker is restarted twice while the daemon ingests: the daemon
# keeps running, reconnects, and every event is stored exactly once.
# Restarts the shared broker: run serially.
. "$(dirname "$0")/lib_fault.sh"
it_services
it_config "$IT_WORK/d.conf" "batch_size = 2000"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
it_produce -n 150000 --prefix kr --binary-every 5
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
for round in 1 2; do
	before=$(it_rows)
	it_wait_rows_above "$before" 60 || it_fail "no progress before restart $round"
	# shellcheck disable=SC2119 # no --no-wait: wait for the broker to be back
	kafka_restart
	if kill -0 "$pid" 2>/dev/null; then it_pass "daemon alive across broker restart $round"
	else it_fail "daemon exited during broker restart $round"; fi
done
it_wait_offsets "$IT_MSGS" 240 || true
fault_check_rss "$pid" 150 "daemon"
it_stop_daemon "$pid"
it_check_expect "$IT_WORK/expect"
it_eq "stored next offsets (sum over partitions)" "$IT_MSGS" "$(it_offsets_sum)"
it_done
