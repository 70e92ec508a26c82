#!/usr/bin/env bash
# Migrations are idempotent, and a database whose applied migration differs
# from the file is refused, by `migrate` and by the daemon.
. "$(dirname "$0")/lib.sh"
it_services
it_config "$IT_WORK/d.conf"
out=$("$DISCLOSED" -c "$IT_WORK/d.conf" run 2>&1) && rc=0 || rc=$?
it_eq "daemon on an unmigrated database exits 78 (EX_CONFIG: no restart loop)" 78 "$rc"
case "$out" in *"disclosed migrate"*) it_pass "and says to run disclosed migrate" ;;
	*) it_fail "no hint to migrate in: $out" ;; esac
n=$(find "$IT_ROOT/sql/migrations" -name '*.sql' | wc -l)
it_eq "first migrate" "$n migration(s) applied, $n in total, schema up to date" \
	"$("$DISCLOSED" -c "$IT_WORK/d.conf" migrate)"
it_eq "second migrate" "0 migration(s) applied, $n in total, schema up to date" \
	"$("$DISCLOSED" -c "$IT_WORK/d.conf" migrate)"
it_psql -c "UPDATE disclosed.schema_migration SET sha256 = repeat('0', 64) WHERE version = 1"
out=$("$DISCLOSED" -c "$IT_WORK/d.conf" migrate 2>&1) && rc=0 || rc=$?
it_eq "migrate on a changed migration exits 78" 78 "$rc"
case "$out" in *"0001_core.sql was changed after it was applied"*) it_pass "and names it" ;;
	*) it_fail "unexpected message: $out" ;; esac
out=$("$DISCLOSED" -c "$IT_WORK/d.conf" run 2>&1) && rc=0 || rc=$?
it_eq "daemon on a changed migration exits 78" 78 "$rc"
# The tables match the event specs column for column, for every kind.
it_psql -c "UPDATE disclosed.schema_migration SET sha256 = '$(sha256sum "$IT_ROOT/sql/migrations/0001_core.sql" | cut -d' ' -f1)' WHERE version = 1"
kinds=0
while read -r type table cols; do
	kinds=$((kinds + 1))
	# Same columns; columns added by later migrations come last in the table.
	got=$(it_psql -c "SELECT string_agg(column_name, ',' ORDER BY column_name COLLATE \"C\") FROM information_schema.columns WHERE table_schema = 'disclosed' AND table_name = '${table#disclosed.}'")
	want=$(echo "$cols" | tr ',' '\n' | LC_ALL=C sort | paste -sd, -)
	it_eq "columns of $table ($type)" "$want" "$got"
done < <("$DISCLOSED" types)
if [ "$kinds" -gt 0 ]; then it_pass "$kinds kind tables compared"; else it_fail "disclosed types listed no kind"; fi
it_done
