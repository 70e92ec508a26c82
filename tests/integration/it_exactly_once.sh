#!/usr/bin/env bash
# 100,000 mixed events (structured and binary mode, with duplicates sent by
# the producer) are stored exactly once, and the offsets stored in
# PostgreSQL account for every message.
. "$(dirname "$0")/lib.sh"
it_services
it_config "$IT_WORK/d.conf"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
it_produce -n 100000 --prefix eo --binary-every 5 --dup-every 250
msgs=$IT_MSGS
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
it_wait_sql "SELECT count(*) FROM disclosed.raw_event" 100000 120 || true
it_wait_offsets "$msgs" 60 || true
it_stop_daemon "$pid"
it_check_expect "$IT_WORK/expect"
it_eq "stored next offsets (sum over partitions)" "$msgs" "$(it_offsets_sum)"
it_eq "quarantined" 0 "$(it_psql -c 'SELECT count(*) FROM disclosed.quarantine')"
it_eq "binary-mode events stored" 20000 \
	"$(it_psql -c 'SELECT count(*) FROM disclosed.raw_event WHERE binary_mode')"
# A restart reads nothing again: the offsets come from PostgreSQL.
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d2.log"; pid=$IT_PID
sleep 5
it_stop_daemon "$pid"
it_eq "rows after a restart" 100000 "$(it_psql -c 'SELECT count(*) FROM disclosed.raw_event')"
it_eq "messages consumed again after restart" 0 \
	"$(sed -n 's/.*stopped consumed=\([0-9]*\).*/\1/p' "$IT_WORK/d2.log")"
it_done
