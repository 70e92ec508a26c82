#!/usr/bin/env bash
# The daemon, its operator commands and disclosed-report under valgrind
# memcheck on real services: good, malformed and PostgreSQL-rejected events
# (the COPY fast path, the staging fallback and its bisection), personal
# data hashed, the PostgreSQL restarted under it. Any invalid read or write,
# use of uninitialised memory or definite/indirect leak fails the test.
#
# Skipped (ctest status 77) on a sanitizer build, which valgrind cannot run;
# CI runs it in its plain pass.
. "$(dirname "$0")/lib.sh"
if [ "${DISCLOSED_SANITIZE:-0}" = 1 ]; then
	echo "skipped: the binaries are built with AddressSanitizer"
	exit 77
fi
command -v valgrind >/dev/null || { it_fail "valgrind is not installed (scripts/test.sh installs it)"; exit 1; }
it_services
VG=(valgrind --error-exitcode=99 --leak-check=full "--show-leak-kinds=definite,indirect"
	"--errors-for-leak-kinds=definite,indirect" --num-callers=30
	"--suppressions=$IT_ROOT/tests/integration/valgrind-fonts.supp")

# vg NAME CMD...: CMD under memcheck, its report in $IT_WORK/vg-NAME.log.
vg() {
	local name=$1
	shift
	"${VG[@]}" --log-file="$IT_WORK/vg-$name.log" "$@"
}

# vg_clean NAME RC: memcheck found nothing (exit status not 99, and its
# summary says so).
vg_clean() {
	local log=$IT_WORK/vg-$1.log
	if [ "$2" = 99 ] || ! grep -q "ERROR SUMMARY: 0 errors" "$log"; then
		it_fail "$1: memcheck found errors:"
		grep -A30 -m3 -E "^==[0-9]+== (Invalid|Conditional|Use of|Syscall|[0-9,]+ bytes in)" "$log" >&2 || cat "$log" >&2
	else
		it_pass "$1: memcheck clean (exit $2)"
	fi
}

printf 'valgrind-test-key-%s\n' "$RANDOM$RANDOM" >"$IT_WORK/pii.key"
chmod 600 "$IT_WORK/pii.key"
it_config "$IT_WORK/d.conf" "batch_size = 500" "retry_backoff_max_ms = 1000" \
	"[privacy]" "hmac_key_file = $IT_WORK/pii.key"
rc=0; vg migrate "$DISCLOSED" -c "$IT_WORK/d.conf" migrate >/dev/null 2>&1 || rc=$?
vg_clean migrate "$rc"
it_psql -c "ALTER TABLE disclosed.reception_held ADD CONSTRAINT visitors_small CHECK (visitors < 8)"
it_produce -n 4000 --prefix vg --bad-every 25 --binary-every 3 --dup-every 40
msgs=$IT_MSGS
printf '%s\n' '{"specversion":"1.0","id":"p1","source":"/vg","type":"disclosure.complaint.received","time":"2021-03-01T09:00:00+08:00","subject":"TS-1","agency":"vg","data":{"channel":"online","complainant_name":"王小明","complainant_phone":"13912345678"}}' >"$IT_WORK/pii.jsonl"
"$EVTOOL" lines -b "$KAFKA_BOOTSTRAP" -t "${IT_TOPICS}complaints" "$IT_WORK/pii.jsonl" >/dev/null
msgs=$((msgs + 1))

"${VG[@]}" --log-file="$IT_WORK/vg-run.log" "$DISCLOSED" -c "$IT_WORK/d.conf" run >"$IT_WORK/d.log" 2>&1 &
pid=$!
IT_PIDS+=("$pid")
it_wait_rows_above 500 180 || it_fail "no progress under valgrind"
pg_restart fast >/dev/null
it_wait_offsets "$msgs" 600 || true
it_eq "every message consumed under valgrind" "$msgs" "$(it_offsets_sum)"
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
it_eq "exit status after SIGTERM" 0 "$rc"
vg_clean run "$rc"
if grep -q "PostgreSQL available again" "$IT_WORK/d.log"; then
	it_pass "the PostgreSQL restart was lived through"
else
	it_fail "no reconnection in the log"
fi
if [ "$(it_psql -c "SELECT count(*) FROM disclosed.quarantine WHERE reason_code = 'db_rejected'")" -gt 0 ]; then
	it_pass "rows rejected by PostgreSQL went through the bisection"
else
	it_fail "no db_rejected row"
fi

rc=0; vg qlist "$DISCLOSED" -c "$IT_WORK/d.conf" quarantine list --limit 50 >/dev/null 2>&1 || rc=$?
vg_clean qlist "$rc"
rc=0; vg report "$BUILD/disclosed-report" -c "$IT_WORK/d.conf" --year 2020 --all --format all \
	-o "$IT_WORK/reports" --texts "$IT_ROOT/tests/fixtures/seed-2020/texts" >/dev/null 2>&1 || rc=$?
# Rendered whatever memcheck said (vg_clean below judges that): one file per
# agency and format at least.
if [ -n "$(find "$IT_WORK/reports" -name '*.html' -size +0 2>/dev/null)" ]; then
	it_pass "reports rendered"
else
	it_fail "no report rendered (exit $rc)"
fi
vg_clean report "$rc"
it_done
