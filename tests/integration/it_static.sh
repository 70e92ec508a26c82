#!/usr/bin/env bash
# Static group membership: two daemons with their own group.instance.id
# (%H-a and %H-b, %H the host name). The second is stopped (SIGTERM) and
# started again within the session timeout, mid-ingest: it gets the very
# partitions it had, and the first member sees no rebalance at all (no
# revoke, no assignment), because a static member does not leave the group
# when it stops. Every event is stored exactly once.
. "$(dirname "$0")/lib.sh"
it_services
host=$(hostname)
for m in a b; do
	it_config "$IT_WORK/$m.conf" "batch_size = 2000" "flush_interval_ms = 100" \
		"[kafka]" "group.instance.id = %H-$m" "session.timeout.ms = 30000"
done
"$DISCLOSED" -c "$IT_WORK/a.conf" migrate
it_produce -n 100000 --prefix static1 --dup-every 500
mv "$IT_WORK/expect" "$IT_WORK/expect1"
first=$IT_MSGS
it_start_daemon "$IT_WORK/a.conf" "$IT_WORK/a.log"; a=$IT_PID
it_wait_log "$IT_WORK/a.log" "ready:" 60 || it_fail "the first member never got ready"
it_start_daemon "$IT_WORK/b.conf" "$IT_WORK/b1.log"; b=$IT_PID
it_wait_log "$IT_WORK/b1.log" "ready:" 60 || it_fail "the second member never got ready"
it_wait_log "$IT_WORK/b1.log" "instance=$host-b " 1 || it_fail "%H is not the host name in b1.log"
# The first member gave up half its partitions when the second joined;
# give that rebalance time to end before marking its log.
sleep 2
mark=$(wc -l <"$IT_WORK/a.log")
it_log "the group settled; rows so far: $(it_rows)"
it_stop_daemon "$b"
# A backlog on every partition, the stopped member's included.
it_produce -n 100000 --prefix static2 --dup-every 500
IT_MSGS=$((IT_MSGS + first))
awk '{ n[$1] += $2 } END { for (t in n) print t, n[t] }' "$IT_WORK/expect1" "$IT_WORK/expect" \
	>"$IT_WORK/expect.all"
it_start_daemon "$IT_WORK/b.conf" "$IT_WORK/b2.log"; b=$IT_PID
it_wait_log "$IT_WORK/b2.log" "ready:" 60 || it_fail "the restarted member never got ready"
it_wait_offsets "$IT_MSGS" 180 || true
sleep 1
parts() { grep -o 'partition active topic=[^ ]* partition=[0-9]*' "$1" | sort -u; }
it_eq "partitions of the restarted member (same as before)" "$(parts "$IT_WORK/b1.log")" \
	"$(parts "$IT_WORK/b2.log")"
[ -n "$(parts "$IT_WORK/b1.log")" ] || it_fail "the second member had no partition"
it_eq "revocations or assignments on the first member after the restart" 0 \
	"$(tail -n +"$((mark + 1))" "$IT_WORK/a.log" | grep -c -e 'revoked' -e 'assigned' || true)"
it_stop_daemon "$a"
it_stop_daemon "$b"
stored=$(sed -n 's/.* stopped consumed=\([0-9]*\).*/\1/p' "$IT_WORK/b2.log")
if [ "${stored:-0}" -gt 0 ]; then it_pass "the restarted member consumed $stored message(s) of its backlog"
else it_fail "the restarted member consumed nothing"; fi
it_check_expect "$IT_WORK/expect.all"
it_eq "stored next offsets (sum over partitions)" "$IT_MSGS" "$(it_offsets_sum)"
it_done
