#!/usr/bin/env bash
# The report's figures where they depend on history (README "Report cost"):
# over events of 2019-2022 whose cases and items cross the years
# (tests/fixtures/report-history.sh), every row of sections 一 to 四 and of
# the data checks, the agencies of the year and the watermark, for each year,
# one agency and every agency, equals what the queries that fold each case's
# whole history (and read every stored event) give
# (tests/fixtures/report-reference: the report's queries before they read
# only the year and its history by index).
. "$(dirname "$0")/lib.sh"
it_services
it_config "$IT_WORK/d.conf"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
"$IT_ROOT/tests/fixtures/report-history.sh" >"$IT_WORK/events"
total=$(wc -l <"$IT_WORK/events")
it_ingest_lines "$IT_WORK/events" "${IT_TOPICS}complaints"
it_eq "events stored" "$total" "$(it_rows)"

run() { # sql-file agency|NULL year -> its rows, sorted (parameters as report/compute.c)
	local a=$2
	[ "$a" = NULL ] || a="'$a'"
	it_psql <<SQL | LC_ALL=C sort
PREPARE q(text, int, text, timestamptz, timestamptz) AS $(sed -e 's/;[[:space:]]*$//' "$1");
EXECUTE q($a, $3, 'Asia/Shanghai', make_timestamptz($3, 1, 1, 0, 0, 0, 'Asia/Shanghai'),
          make_timestamptz($3 + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai'));
SQL
}
for name in overview section2 section3 section4 checks agencies_in_year watermark; do
	rows=0
	for year in 2019 2020 2021 2022 2023; do
		for agency in hist-a NULL; do
			new=$(run "$IT_ROOT/sql/report/$name.sql" "$agency" "$year")
			ref=$(run "$IT_ROOT/tests/fixtures/report-reference/$name.sql" "$agency" "$year")
			if [ "$name" = section2 ]; then # a cell without data is absent or 0
				new=$(grep -v '|0$' <<<"$new" || true)
				ref=$(grep -v '|0$' <<<"$ref" || true)
			fi
			if [ "$new" != "$ref" ]; then
				it_fail "$name $year ${agency/NULL/every agency}: differs from the whole-history fold:
$(diff <(echo "$ref") <(echo "$new") | head -20)"
			fi
			rows=$((rows + $(grep -c . <<<"$ref" || true)))
		done
	done
	it_pass "$name: $rows rows over 5 years x (hist-a, every agency) as the whole-history fold"
done

# The fixture reaches the figures that need history.
s3=$(run "$IT_ROOT/sql/report/section3.sql" hist-a 2021)
s2=$(run "$IT_ROOT/sql/report/section2.sql" hist-a 2021)
s4=$(run "$IT_ROOT/sql/report/section4.sql" hist-a 2021)
ck=$(run "$IT_ROOT/sql/report/checks.sql" NULL 2021)
for want in "s3:|2|total|" "s3:|4|total|" "s2:|in_force|" "s2:|repealed|" "s2:|made|" \
	"s4:|pending|" "ck:application_closed_without_application" \
	"ck:application_closed_before_received" "ck:application_closed_more_than_once" \
	"ck:complaint_handled_without_receipt"; do
	case ${want%%:*} in s3) v=$s3 ;; s2) v=$s2 ;; s4) v=$s4 ;; ck) v=$ck ;; esac
	found=$(grep -F "${want#*:}" <<<"$v" || true)
	if [ -n "$found" ] && grep -vq '|0$' <<<"$found"; then
		it_pass "2021 has ${want#*:} rows"
	else
		it_fail "the fixture does not reach ${want#*:} in 2021"
	fi
done
it_spans "at the end"
it_done
