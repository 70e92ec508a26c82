#!/usr/bin/env bash
# Least privilege: the daemon runs as a login role in disclosed_writer, the
# report as one in disclosed_reader; each works, the reader cannot write
# events and the writer cannot change the schema or delete.
. "$(dirname "$0")/lib.sh"
it_services
it_config "$IT_WORK/admin.conf"
"$DISCLOSED" -c "$IT_WORK/admin.conf" migrate
w=it_w_$$ r=it_r_$$
it_admin_psql -c "CREATE ROLE $w LOGIN IN ROLE disclosed_writer" -c "CREATE ROLE $r LOGIN IN ROLE disclosed_reader" >/dev/null
IT_CONNINFO="$IT_CONNINFO user=$w" it_config "$IT_WORK/w.conf"
cat >>"$IT_WORK/w.conf" <<CONF
[report]
conninfo = $IT_CONNINFO user=$r
texts_dir = $IT_WORK
CONF
it_produce -n 2000 --prefix roles --bad-every 100
it_start_daemon "$IT_WORK/w.conf" "$IT_WORK/d.log"; pid=$IT_PID
it_wait_offsets "$IT_MSGS" 60 || true
it_stop_daemon "$pid"
it_check_expect "$IT_WORK/expect"
# The writer folds the running counts' deltas (after its first commit, then
# every 10 s): folded rows exist only if that ran, with the writer's rights.
it_eq "folding span_month refused" 0 "$(grep -c "folding disclosed.span_month" "$IT_WORK/d.log")"
if [ "$(it_psql -c "SELECT count(*) FROM disclosed.span_month WHERE folded")" -gt 0 ]; then
	it_pass "the writer folded the running counts"
else
	it_fail "no folded row in disclosed.span_month"
fi
"$BUILD/disclosed-report" -c "$IT_WORK/w.conf" --year 2020 --agency agency-00 --format json >/dev/null 2>"$IT_WORK/rep.err" && rc=0 || rc=$?
if [ "$rc" -le 1 ]; then
	it_pass "the report runs as the reader (exit $rc)"
else
	it_fail "report as reader: $(cat "$IT_WORK/rep.err")"
fi
it_eq "the reader stored its snapshot" 1 "$(it_psql -c "SELECT count(*) FROM disclosed.report_snapshot")"
as() { psql -X -q -tA "$IT_CONNINFO user=$1" -c "$2" 2>&1; }
case $(as "$r" "INSERT INTO disclosed.reception_held SELECT * FROM disclosed.reception_held LIMIT 1") in
	*"permission denied"*) it_pass "the reader cannot insert events" ;; *) it_fail "the reader could insert events" ;; esac
case $(as "$r" "DELETE FROM disclosed.quarantine") in
	*"permission denied"*) it_pass "the reader cannot delete" ;; *) it_fail "the reader could delete" ;; esac
case $(as "$w" "ALTER TABLE disclosed.reception_held ADD COLUMN x int") in
	*"must be owner"*) it_pass "the writer cannot alter a table" ;; *) it_fail "the writer could alter a table" ;; esac
case $(as "$w" "DROP TABLE disclosed.quarantine") in
	*"must be owner"*) it_pass "the writer cannot drop a table" ;; *) it_fail "the writer could drop a table" ;; esac
case $(as "$w" "DELETE FROM disclosed.complaint_received") in
	*"permission denied"*) it_pass "the writer cannot delete events" ;; *) it_fail "the writer could delete events" ;; esac
case $(as "$w" "CREATE TABLE disclosed.x (i int)") in
	*"permission denied"*) it_pass "the writer cannot create tables in the schema" ;; *) it_fail "the writer could create a table" ;; esac
case $(as "$w" "DELETE FROM disclosed.span_month") in
	*"permission denied"*) it_pass "the writer cannot change the running counts but by folding" ;;
	*) it_fail "the writer could delete running counts" ;; esac
it_done
