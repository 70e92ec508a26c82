#!/usr/bin/env bash
# Amounts exact to the 分 (six fraction digits of 万元), end to end: a
# database at migration 0006 holding numeric(18,4) amounts at both ends of
# its range is migrated by 0007 with every value kept; amounts sent through
# the broker (the largest, the smallest, 73,802,895.90 元, trailing zeros)
# are stored exactly, a seventh fraction digit is set aside, and a resent
# amount spelled with another trailing zero is a conflicting duplicate (the
# content digest is over the text); every format of the report, Word and
# PDF included, prints each amount with every digit, and the roll-up adds
# them exactly.
. "$(dirname "$0")/lib.sh"
it_services
REPORT=$BUILD/disclosed-report
it_config "$IT_WORK/d.conf" "[report]" "texts_dir = $IT_WORK/texts" "output_dir = $IT_WORK/out"

# --- a database at 0006 with amounts stored before 0007 ------------------------
it_psql -c "CREATE SCHEMA disclosed; CREATE TABLE disclosed.schema_migration (
	version integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now())"
for f in "$IT_ROOT"/sql/migrations/000[1-6]_*.sql; do
	it_psql -1 -f "$f"
	name=$(basename "$f")
	it_psql -c "INSERT INTO disclosed.schema_migration (version, name, sha256)
		VALUES (${name:0:4}::int, '$name', '$(sha256sum "$f" | cut -d' ' -f1)')"
done
it_eq "column type before 0007" "numeric|18|4" \
	"$(it_psql -c "SELECT data_type, numeric_precision, numeric_scale FROM information_schema.columns WHERE table_schema = 'disclosed' AND table_name = 'stats_reported' AND column_name = 'amount'")"
old() { # event_id year item amount: a row as 0006 stored it
	it_psql -c "INSERT INTO disclosed.stats_reported (source, event_id, agency, subject, event_time,
		year, item, projects, amount, topic, kafka_partition, kafka_offset, payload, binary_mode)
		VALUES ('/old', '$1', 'old-bureau', '$3/$2', '2022-01-05 01:00:00+00', $2, '$3', 1, $4,
		'old', 0, 0, '{}', false)"
}
old o-max 2021 fee 99999999999999.9999
old o-min 2020 procurement 0.0001
old o-neg 2019 procurement -99999999999999.9999
old o-zeros 2021 procurement 12.3500
out=$("$DISCLOSED" -c "$IT_WORK/d.conf" migrate)
# 0007 and whatever later migrations the build carries, nothing before.
later=$(find "$IT_ROOT/sql/migrations" -name '*.sql' ! -name '000[1-6]_*' | wc -l)
case $out in "$later migration(s) applied, "*) it_pass "migrate applies 0007 on: $out" ;;
	*) it_fail "migrate on a 0006 database: $out" ;; esac
it_eq "0007 recorded as applied" 1 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.schema_migration WHERE version = 7")"
it_eq "column type after 0007" "numeric|20|6" \
	"$(it_psql -c "SELECT data_type, numeric_precision, numeric_scale FROM information_schema.columns WHERE table_schema = 'disclosed' AND table_name = 'stats_reported' AND column_name = 'amount'")"
it_eq "stored amounts kept exactly" "o-max 99999999999999.999900|o-min 0.000100|o-neg -99999999999999.999900|o-zeros 12.350000" \
	"$(it_psql -c "SELECT string_agg(event_id || ' ' || amount::text, '|' ORDER BY event_id) FROM disclosed.stats_reported")"
it_eq "the view made again, readable by the report's role" "4|t" \
	"$(it_psql -c "SELECT count(*), has_table_privilege('disclosed_reader', 'disclosed.stats_current', 'SELECT') FROM disclosed.stats_current")"

# --- amounts through the broker ------------------------------------------------
ev() { # id time subject agency data
	printf '{"specversion":"1.0","id":"%s","source":"/finance","type":"disclosure.stats.reported","time":"%s","subject":"%s","agency":"%s","data":%s}\n' "$@"
}
{
	ev a-fee 2022-01-05T09:00:00+08:00 fee/2021 amounts-bureau '{"year":2021,"item":"fee","amount":"7380.28959"}'
	ev a-max 2022-01-05T09:00:00+08:00 fee/2021 max-bureau '{"year":2021,"item":"fee","amount":"99999999999999.999999"}'
	ev a-min 2021-01-05T09:00:00+08:00 procurement/2020 amounts-bureau '{"year":2020,"item":"procurement","projects":1,"amount":"0.000001"}'
	ev a-zeros 2021-01-05T09:00:00+08:00 procurement/2020 max-bureau '{"year":2020,"item":"procurement","projects":2,"amount":"100.000000"}'
	ev a-7 2022-01-05T09:00:00+08:00 fee/2021 amounts-bureau '{"year":2021,"item":"fee","amount":"7380.2895901"}'
	# Resent: the same text is a duplicate, another spelling a conflict.
	ev a-fee 2022-01-05T09:00:00+08:00 fee/2021 amounts-bureau '{"year":2021,"item":"fee","amount":"7380.28959"}'
	ev a-fee 2022-01-05T09:00:00+08:00 fee/2021 amounts-bureau '{"year":2021,"item":"fee","amount":"7380.289590"}'
} >"$IT_WORK/events"
it_ingest_lines "$IT_WORK/events" "${IT_TOPICS}stats"
it_eq "stored exactly, as numbers" "a-fee 7380.289590|a-max 99999999999999.999999|a-min 0.000001|a-zeros 100.000000" \
	"$(it_psql -c "SELECT string_agg(event_id || ' ' || amount::text, '|' ORDER BY event_id) FROM disclosed.stats_reported WHERE source = '/finance'")"
it_eq "and as sent, in the payload" '"7380.28959"' \
	"$(it_psql -c "SELECT payload::jsonb->'data'->'amount' FROM disclosed.stats_reported WHERE event_id = 'a-fee'")"
it_eq "a seventh fraction digit set aside, saying why" \
	'bad_field|data.amount|data.amount="7380.2895901" has 4 integer and 7 fraction digits (at most 14 and 6: 万元 to the 分)' \
	"$(it_psql -c "SELECT reason_code, field, reason FROM disclosed.quarantine WHERE convert_from(payload, 'UTF8') LIKE '%7380.2895901%'")"
it_eq "a resent amount with another trailing zero is a conflicting duplicate" 1 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.quarantine WHERE reason_code = 'conflicting_duplicate' AND convert_from(payload, 'UTF8') LIKE '%7380.289590\"%'")"

# --- every format prints every digit ------------------------------------------
formats="text markdown html csv json docx pdf"
doc_text() { # file format -> the text a reader sees
	case $2 in
	docx) /usr/bin/python3 -c 'import docx, sys
d = docx.Document(sys.argv[1])
for t in d.tables:
    for row in t.rows:
        print("\t".join(c.text for c in row.cells))' "$1" ;;
	pdf) pdftotext -layout "$1" - ;;
	*) cat "$1" ;;
	esac
}
# agency year amount: that amount, whole, in every format of the report.
shows() {
	local f file text
	for f in $formats; do
		file=$IT_WORK/$1-$2.$f
		"$REPORT" -c "$IT_WORK/d.conf" --year "$2" --agency "$1" --format "$f" --no-snapshot \
			-o "$file" 2>>"$IT_WORK/stderr" || it_fail "$1 $2 $f: exit $?"
		# Read whole first: grep -q closing the pipe early fails it (pipefail).
		text=$(doc_text "$file" "$f")
		if grep -Eq "(^|[^0-9.])$(printf '%s' "$3" | sed 's/[.]/[.]/g')([^0-9]|$)" <<<"$text"; then
			it_pass "$1 $2 $f shows $3"
		else
			it_fail "$1 $2 $f does not show $3 whole"
		fi
	done
}
shows amounts-bureau 2021 7380.28959
shows max-bureau 2021 99999999999999.999999
shows amounts-bureau 2020 0.000001
shows max-bureau 2020 100
it_eq "JSON: the largest amount as an exact string" '"99999999999999.999999"' \
	"$(jq -c '.section2.art20_8.fee.amount' "$IT_WORK/max-bureau-2021.json")"
it_eq "JSON: trailing zeros not printed, a whole amount an integer" 100 \
	"$(jq -c '.section2.art20_9.procurement.amount' "$IT_WORK/max-bureau-2020.json")"

# --- the roll-up adds exactly ---------------------------------------------------
mkdir -p "$IT_WORK/out"
"$REPORT" -c "$IT_WORK/d.conf" --year 2021 --all --format json --no-snapshot -o "$IT_WORK/out" 2>/dev/null || true
# 7380.28959 + 99999999999999.999999 + 99999999999999.9999 (old-bureau)
it_eq "roll-up of 2021's fees" '"200000000007380.289489"' \
	"$(jq -c '.section2.art20_8.fee.amount' "$IT_WORK/out/all-2021.json")"
it_done
