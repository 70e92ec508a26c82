#!/usr/bin/env bash
# Malformed events interleaved with good ones: every good one is stored,
# every bad one is quarantined with a specific reason, and a row that
# PostgreSQL itself rejects is isolated without losing its batch.
. "$(dirname "$0")/lib.sh"
it_services
it_config "$IT_WORK/d.conf"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
# A constraint the decoder does not know about, so that PostgreSQL is the
# one to refuse some rows (SQLSTATE 23514) in the middle of good batches.
it_psql -c "ALTER TABLE disclosed.reception_held ADD CONSTRAINT visitors_small CHECK (visitors < 8)"
it_produce -n 20000 --prefix mal --bad-every 10
msgs=$IT_MSGS
bad=$(sed -n 's/.*bad=\([0-9]*\).*/\1/p' "$IT_WORK/produced")
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
# Every batch holds rows PostgreSQL refuses, so each is bisected: slow on a
# loaded machine, hence the long wait.
it_wait_offsets "$msgs" 300 || true
it_stop_daemon "$pid"
# evtool gives reception events visitors = n % 9, so n % 9 == 8 is refused.
rejected=$(it_psql -c "SELECT count(*) FROM disclosed.quarantine WHERE reason_code = 'db_rejected'")
if [ "$rejected" -gt 0 ]; then
	it_pass "$rejected rows rejected by PostgreSQL were quarantined"
else
	it_fail "no row was rejected by the CHECK constraint"
fi
it_eq "db_rejected rows carry SQLSTATE 23514" "$rejected" \
	"$(it_psql -c "SELECT count(*) FROM disclosed.quarantine WHERE sqlstate = '23514' AND reason LIKE '%visitors_small%' AND payload IS NOT NULL AND event_id IS NOT NULL")"
expected_rh=$(awk '$1 == "reception_held" { print $2 }' "$IT_WORK/expect")
it_eq "reception rows stored + rejected" "$expected_rh" \
	"$(it_psql -c "SELECT (SELECT count(*) FROM disclosed.reception_held) + $rejected")"
it_eq "rejected rows are absent from raw_event too" 0 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.quarantine q JOIN disclosed.raw_event r USING (source, event_id)")"
# Everything except receptions matches exactly.
grep -v -e '^reception_held ' -e '^raw_event ' -e '^quarantine ' "$IT_WORK/expect" >"$IT_WORK/expect2"
it_check_expect "$IT_WORK/expect2"
it_eq "decoder quarantine (one per bad message)" "$bad" \
	"$(it_psql -c "SELECT count(*) FROM disclosed.quarantine WHERE reason_code <> 'db_rejected'")"
it_eq "reasons used" "bad_field bad_json bad_specversion bad_time not_object unknown_type" \
	"$(it_psql -c "SELECT string_agg(DISTINCT reason_code, ' ' ORDER BY reason_code) FROM disclosed.quarantine WHERE reason_code <> 'db_rejected'")"
it_eq "every quarantined row has its raw bytes, offset and a message" 0 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.quarantine WHERE payload IS NULL OR reason = '' OR kafka_offset IS NULL")"
it_eq "bad_field names the field and the value" 1 \
	"$(it_psql -c "SELECT count(DISTINCT reason) FROM disclosed.quarantine WHERE reason_code = 'bad_field' AND field = 'data.visitors' AND reason LIKE '%data.visitors=-4%'")"
it_eq "stored next offsets (sum over partitions)" "$msgs" "$(it_offsets_sum)"
it_done
