#!/usr/bin/env bash
# PostgreSQL over TLS with sslmode=verify-full against the harness's CA: the
# daemon ingests over an encrypted, verified connection; with a certificate
# from another CA it fails with a clear message and keeps retrying rather
# than exit. Turns TLS on in the PostgreSQL it uses.
. "$(dirname "$0")/lib.sh"
it_services
pg_enable_tls
IT_CONNINFO="host=127.0.0.1 port=$PGPORT user=postgres dbname=$IT_DB sslmode=verify-full sslrootcert=$HARNESS_CA" \
	it_config "$IT_WORK/d.conf"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
it_produce -n 3000 --prefix tls
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
it_wait_offsets "$IT_MSGS" 60 || true
it_eq "the daemon's connection is TLS" "t" \
	"$(it_psql -c "SELECT bool_and(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'disclosed' AND a.datname = '$IT_DB'")"
it_stop_daemon "$pid"
it_check_expect "$IT_WORK/expect"
# The report over the same verified TLS: its second connection (the queries
# on two at once) is made as the first was.
year=$(it_psql -c "SELECT extract(year FROM max(event_time) AT TIME ZONE 'Asia/Shanghai')::int FROM disclosed.raw_event")
"$BUILD/disclosed-report" -c "$IT_WORK/d.conf" --year "$year" --all --format json --jobs 2 --no-snapshot \
	-o "$IT_WORK/out" >/dev/null 2>"$IT_WORK/report.err" && rc=0 || rc=$?
it_eq "the report over TLS (0, or 1 for a failed check)" 1 "$((rc <= 1))"
it_eq "its second connection made over TLS too" 0 "$(grep -c 'second connection' "$IT_WORK/report.err")"

# A server whose certificate this CA did not sign: refused, and said so.
sed "s|sslrootcert=[^ ]*|sslrootcert=$(it_other_ca)|" "$IT_WORK/d.conf" >"$IT_WORK/bad.conf"
out=$("$DISCLOSED" -c "$IT_WORK/bad.conf" migrate 2>&1) && rc=0 || rc=$?
it_eq "migrate with the wrong CA exits 69 (EX_UNAVAILABLE)" 69 "$rc"
case $out in *"certificate verify failed"*) it_pass "and says the certificate failed verification" ;;
	*) it_fail "unclear message: $out" ;; esac
it_start_daemon "$IT_WORK/bad.conf" "$IT_WORK/bad.log"; pid=$IT_PID
sleep 3
if kill -0 "$pid" 2>/dev/null; then
	it_pass "the daemon keeps retrying instead of exiting"
else
	it_fail "the daemon exited"
fi
if grep -q "PostgreSQL unavailable.*certificate verify failed" "$IT_WORK/bad.log"; then
	it_pass "its log names the certificate failure"
else
	it_fail "no clear log line: $(grep -m1 -i postgres "$IT_WORK/bad.log")"
fi
it_stop_daemon "$pid"
it_done
