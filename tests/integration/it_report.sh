#!/usr/bin/env bash
# disclosed-report on real data: the seed's 2020 report reproduced from
# events (every figure, every cell); a template 2021 dataset with non-zero
# sections 二, 三, 四 whose identities hold; an application received
# 2020-12-31T23:30+08:00 and answered in January 2021 counted in rows 1 and 4
# of 2020 and row 2 of 2021; an inconsistent dataset reported with exit 1;
# snapshots identical on a rerun; the HTML laid out right by Chromium; an
# event arriving late for a year already reported caught by the carry-over.
. "$(dirname "$0")/lib.sh"
it_services
REPORT=$BUILD/disclosed-report
it_config "$IT_WORK/d.conf" "[report]" "texts_dir = $IT_WORK/texts" "output_dir = $IT_WORK/out"
mkdir -p "$IT_WORK/texts/yaodu-xinfang"
echo "尧都区信访局" >"$IT_WORK/texts/yaodu-xinfang/name.txt"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
{
	cat "$IT_ROOT/tests/fixtures/seed-2020/events.jsonl"
	"$IT_ROOT/tests/fixtures/report-2021.sh" demo-bureau
	# Inconsistent: an answer to an application never received, a decision
	# on a case never filed.
	printf '%s\n' '{"specversion":"1.0","id":"bad-1","source":"/fixture","type":"disclosure.application.closed","time":"2021-05-01T10:00:00+08:00","subject":"AP-GHOST","agency":"bad-bureau","data":{"outcome":"3.1"}}' \
		'{"specversion":"1.0","id":"bad-2","source":"/fixture","type":"disclosure.application.received","time":"2021-03-01T10:00:00+08:00","subject":"AP-REAL","agency":"bad-bureau","data":{"applicant_class":"natural_person"}}' \
		'{"specversion":"1.0","id":"bad-3","source":"/fixture","type":"disclosure.review.decided","time":"2021-06-01T10:00:00+08:00","subject":"RV-GHOST","agency":"bad-bureau","data":{"outcome":"upheld"}}'
} >"$IT_WORK/events"
it_ingest_lines "$IT_WORK/events" "${IT_TOPICS}complaints"

csv() { # agency year -> the CSV rendering
	"$REPORT" -c "$IT_WORK/d.conf" --year "$2" --agency "$1" --format csv 2>"$IT_WORK/stderr"
}
cell() { # CSV section table row column -> value
	awk -F, -v s="$2" -v t="$3" -v r="$4" -v c="$5" '{ sub(/\r$/, "") } $4 == s && $5 == t && $6 == r && $7 == c { print $8 }' "$1"
}

# --- the seed, 2020, template 2019 ---------------------------------------
csv yaodu-xinfang 2020 >"$IT_WORK/seed.csv" && rc=0 || rc=$?
it_eq "seed report exit status" 0 "$rc"
# As in scripts/demo.sh: every partition stored up to the broker's end
# offset, so no warning although the seed's last event is on 31 December.
if grep -q "data may be incomplete" "$IT_WORK/stderr"; then
	it_fail "the seed warns although every lag is 0: $(grep incomplete "$IT_WORK/stderr")"
else
	it_pass "seed: no completeness warning with every partition's lag 0"
fi
for kv in proactive_total=305 work_news=21 reception_notices=58 notices=4 online_complaints=156 \
	complaints_transferred=156 complaints_accepted=156 new_media_posts=66 new_media_views=4585 \
	new_media_followers=733 acceptance_rate=100%; do
	it_eq "seed overview ${kv%%=*}" "${kv#*=}" "$(cell "$IT_WORK/seed.csv" 1 overview "${kv%%=*}" value)"
done
# 22 cells of section 二 (template 2019), 23 rows x 7 of section 三, 15 of 四.
it_eq "seed: table cells of sections 二, 三, 四 (all zero)" "198 cells, all 0" \
	"$(awk -F, 'NR > 1 { sub(/\r$/, "") } NR > 1 && $4 ~ /^[234]$/ { n++; if ($8 != "0") bad++ } END { printf "%d cells, %s\n", n, bad ? bad " not 0" : "all 0" }' "$IT_WORK/seed.csv")"
"$REPORT" -c "$IT_WORK/d.conf" --year 2020 --agency yaodu-xinfang --format text 2>/dev/null >"$IT_WORK/seed.txt"
if grep -q "共主动公开信息305条，其中，工作动态21条、领导接访信息58条、通知公告4条、网上投诉156件次,全部转交有权处理责任单位处理，受理率达100%" "$IT_WORK/seed.txt"; then
	it_pass "seed overview prose as in the seed report"
else
	it_fail "seed overview prose differs: $(sed -n 7p "$IT_WORK/seed.txt")"
fi

# --- template 2021 with non-zero sections ---------------------------------
# 2020 first, as a department would: 2021's carry-over is checked against it.
csv demo-bureau 2020 >"$IT_WORK/r20.csv" || true
csv demo-bureau 2021 >"$IT_WORK/r21.csv" && rc=0 || rc=$?
it_eq "2021 report exit status (identities hold)" 0 "$rc"
it_eq "template" 2021 "$(awk -F, 'NR == 2 { print $3 }' "$IT_WORK/r21.csv")"
for spec in "3 applications 1 total 24" "3 applications 1 natural_person 4" \
	"3 applications 2 total 2" "3 applications 2 natural_person 1" "3 applications 2 commercial_enterprise 1" \
	"3 applications 3.1 total 4" "3 applications 3.1 natural_person 2" "3 applications 3.1 research_institution 1" \
	"3 applications 3.2 total 3" "3 applications 3.3.4 total 3" "3 applications 3.4.1 total 3" \
	"3 applications 3.5.2 total 2" "3 applications 3.6.1 total 2" "3 applications 3.6.3 total 4" \
	"3 applications 3.7 total 21" "3 applications 4 total 5" \
	"4 review reconsideration upheld 1" "4 review reconsideration pending 1" "4 review reconsideration total 2" \
	"4 review litigation_direct corrected 1" "4 review litigation_after_reconsideration other 1" \
	"2 art20_1 regulation made 1" "2 art20_1 regulation in_force 1" "2 art20_1 normative_document repealed 1" \
	"2 art20_1 normative_document in_force 1" "2 art20_5 permit decisions 345" "2 art20_6 punishment decisions 17" \
	"2 art20_8 fee amount 12.3456"; do
	# shellcheck disable=SC2086 # the spec's words are the arguments
	set -- $spec
	it_eq "2021 $2 $3 $4" "$5" "$(cell "$IT_WORK/r21.csv" "$1" "$2" "$3" "$4")"
done
it_eq "template 2021 has no 3.6 row and no art20_9" 0 \
	"$(awk -F, '$6 == "3.6" || $5 == "art20_9" || $6 == "other_service"' "$IT_WORK/r21.csv" | wc -l)"
"$REPORT" -c "$IT_WORK/d.conf" --year 2021 --agency demo-bureau --format json 2>/dev/null >"$IT_WORK/r21.json"
it_eq "no check failed in the JSON checks" 0 "$(grep -c '"state": "failed"' "$IT_WORK/r21.json")"
if grep -q '"row 2 = row 4 of the year before, as stored, in every column"' "$IT_WORK/r21.json"; then
	it_pass "the carry-over is checked against the stored 2020 report"
else
	it_fail "carry-over not checked against 2020: $(grep -o '"s3.carry_over"[^}]*' "$IT_WORK/r21.json")"
fi

# --- the application across the year boundary -----------------------------
it_eq "AP-X in row 1 of 2020 (natural person)" 1 "$(cell "$IT_WORK/r20.csv" 3 applications 1 natural_person)"
it_eq "AP-X in row 4 of 2020 (natural person)" 1 "$(cell "$IT_WORK/r20.csv" 3 applications 4 natural_person)"
it_eq "AP-X in row 2 of 2021 (natural person)" 1 "$(cell "$IT_WORK/r21.csv" 3 applications 2 natural_person)"

# --- an inconsistent dataset is reported, not silently counted ------------
csv bad-bureau 2021 >"$IT_WORK/bad.csv" && rc=0 || rc=$?
it_eq "inconsistent data: exit status" 1 "$rc"
if grep -q "check data.application_closed_without_application FAILED: agency bad-bureau: 1 case(s), e.g. subject AP-GHOST" "$IT_WORK/stderr"; then
	it_pass "the orphan answer is named"
else
	it_fail "no report of the orphan answer: $(cat "$IT_WORK/stderr")"
fi
if grep -q "check data.review_decided_without_filing FAILED" "$IT_WORK/stderr"; then
	it_pass "the orphan decision is named"
else
	it_fail "no report of the orphan decision"
fi
# No 2020 report of bad-bureau is stored: the carry-over is not made, which
# is said (a warning) and is not "holds"; alone it would not change the exit.
if grep -q "warning: bad-bureau 2021: check s3.carry_over not made: not checked: no report of 2020 stored" "$IT_WORK/stderr"; then
	it_pass "the carry-over not made is a warning"
else
	it_fail "no not-made warning: $(cat "$IT_WORK/stderr")"
fi
"$REPORT" -c "$IT_WORK/d.conf" --year 2021 --agency bad-bureau --format json 2>/dev/null >"$IT_WORK/bad.json" || true
it_eq "JSON: the carry-over is not_checked" not_checked \
	"$(jq -r '.checks[] | select(.id == "s3.carry_over") | .state' "$IT_WORK/bad.json")"

# --- the checks printed in the documents (数据检查, after the signature) ----
doc() { # agency year format [options] -> the document
	"$REPORT" -c "$IT_WORK/d.conf" --year "$2" --agency "$1" --format "$3" --no-snapshot "${@:4}" 2>/dev/null || true
}
FAILED_LINE="✗ 不成立　每件办结的申请均有收到记录（data.application_closed_without_application：agency bad-bureau: 1 case(s), e.g. subject AP-GHOST）"
NOT_MADE_LINE="— 未检查　上年结转申请数等于上一年度报告的结转下年度继续办理数（s3.carry_over：not checked: no report of 2020 stored）"
doc bad-bureau 2021 text >"$IT_WORK/bad.txt"
for line in "$FAILED_LINE" "$NOT_MADE_LINE" \
	"✗ 不成立　每件复议、诉讼结果均有立案记录（data.review_decided_without_filing：agency bad-bureau: 1 case(s), e.g. subject RV-GHOST）" \
	"✓ 成立　每件申请只办结一次（data.application_closed_more_than_once：agency bad-bureau: none）"; do
	it_eq "text: a line as printed" 1 "$(grep -cxF "$line" "$IT_WORK/bad.txt")"
done
# Every check of the JSON, with its state's mark and word, in the text.
mismatch=$(jq -r '.checks[] | [.state, "（" + .id + "：" + .where + "）"] | @tsv' "$IT_WORK/bad.json" |
	while IFS=$'\t' read -r state tail; do
		case $state in holds) mark="✓ 成立" ;; failed) mark="✗ 不成立" ;; *) mark="— 未检查" ;; esac
		grep -qF "$tail" <<<"$(grep -F "$mark　" "$IT_WORK/bad.txt")" || echo "$state $tail"
	done)
it_eq "text: every check of the JSON printed with its state" "" "$mismatch"
it_eq "text: the summary counts each state" \
	"$(jq -r '"共\(.checks | length)项：成立\([.checks[] | select(.state == "holds")] | length)项，不成立\([.checks[] | select(.state == "failed")] | length)项，未检查\([.checks[] | select(.state == "not_checked")] | length)项。"' "$IT_WORK/bad.json")" \
	"$(grep -F '共' "$IT_WORK/bad.txt" | grep -F '项：成立')"
it_eq "text: the checks after section 六 and the signature, apart" "六 < 签 < 附" \
	"$(awk '/^六、其他需要报告的事项$/ { six = NR } /^bad-bureau$/ && six { sign = NR } /^附：数据检查$/ { at = NR }
		END { print (six < sign && sign < at) ? "六 < 签 < 附" : six " " sign " " at }' "$IT_WORK/bad.txt")"
it_eq "Markdown: a list item under its own heading" "1 1" \
	"$(doc bad-bureau 2021 markdown >"$IT_WORK/bad.md"; grep -cxF -e "- $FAILED_LINE" "$IT_WORK/bad.md") $(grep -cx '## 附：数据检查' "$IT_WORK/bad.md")"
it_eq "HTML: a list item with its state as class" 1 \
	"$(doc bad-bureau 2021 html | grep -cxF "<li class=\"not_checked\">$NOT_MADE_LINE</li>")"
it_eq "CSV tables: result, name, id, explanation" 1 \
	"$(doc bad-bureau 2021 csv --csv-layout tables | tr -d '\r' | grep -cxF '✗ 不成立,每件办结的申请均有收到记录,data.application_closed_without_application,"agency bad-bureau: 1 case(s), e.g. subject AP-GHOST"')"
it_eq "CSV long: the state by its key" "not_checked failed" \
	"$(doc bad-bureau 2021 csv | tr -d '\r' | awk -F, '$4 == "checks" && $7 == "state" && ($6 == "data.application_closed_without_application" || $6 == "s3.carry_over") { printf "%s%s", n++ ? " " : "", $8 }')"
it_eq "text: a carry-over that holds, as printed" 1 \
	"$(doc demo-bureau 2021 text | grep -cxF "✓ 成立　上年结转申请数等于上一年度报告的结转下年度继续办理数（s3.carry_over：row 2 = row 4 of the year before, as stored, in every column）")"
it_eq "--checks never: no checks in the text" 0 "$(doc bad-bureau 2021 text --checks never | grep -c 数据检查)"
it_eq "--checks maybe: a usage error" 64 \
	"$("$REPORT" -c "$IT_WORK/d.conf" --year 2021 --agency bad-bureau --checks maybe >/dev/null 2>&1; echo $?)"

# --- snapshots ----------------------------------------------------------------
"$REPORT" -c "$IT_WORK/d.conf" --year 2021 --agency demo-bureau --format json >/dev/null 2>&1
it_eq "three runs on unchanged data, one snapshot" "1|3" \
	"$(it_psql -c "SELECT count(*), max(runs) FROM disclosed.report_snapshot WHERE agency = 'demo-bureau' AND year = 2021")"
it_eq "the snapshot holds every figure and the watermark" "345|t" \
	"$(it_psql -c "SELECT report->'section2'->'art20_5'->'permit'->>'decisions', report ? 'watermark' FROM disclosed.report_snapshot WHERE agency = 'demo-bureau' AND year = 2021")"
# Every partition of the test's topics, each with its offset and latest time.
it_eq "the watermark lists every partition with its latest event time" "$(it_psql -c "SELECT count(*) FROM disclosed.consumer_offset")|0" \
	"$(it_psql -c "SELECT jsonb_array_length(report->'watermark'->'partitions'), count(*) FILTER (WHERE p->>'max_event_time' IS NULL) FROM disclosed.report_snapshot, jsonb_array_elements(report->'watermark'->'partitions') p WHERE agency = 'demo-bureau' AND year = 2021 GROUP BY report")"

# --- --all and the roll-up -------------------------------------------------------
"$REPORT" -c "$IT_WORK/d.conf" --year 2021 --all --format all >/dev/null 2>&1 && rc=0 || rc=$?
it_eq "--all exit status (bad-bureau's check fails)" 1 "$rc"
# 4 reports (3 agencies and the roll-up) x 7 formats (docx and pdf included).
it_eq "files written by --all --format all" 28 "$(find "$IT_WORK/out" -mindepth 1 -maxdepth 1 | wc -l)"
it_eq "roll-up 3.7 = sum over agencies" "$(( $(cell "$IT_WORK/r21.csv" 3 applications 3.7 total) + $(cell "$IT_WORK/bad.csv" 3 applications 3.7 total) ))" \
	"$(cell "$IT_WORK/out/all-2021.csv" 3 applications 3.7 total)"
# The same files rendered by one process and by three (--jobs): every
# report is written once, the same bytes (Word and PDF carry their time).
"$REPORT" -c "$IT_WORK/d.conf" --year 2021 --all --format all --no-snapshot --jobs 1 \
	-o "$IT_WORK/j1" >/dev/null 2>"$IT_WORK/j1.err" || true
"$REPORT" -c "$IT_WORK/d.conf" --year 2021 --all --format all --no-snapshot --jobs 3 \
	-o "$IT_WORK/j3" >/dev/null 2>"$IT_WORK/j3.err" || true
it_eq "--jobs 3: the files of --jobs 1" \
	"$(cd "$IT_WORK/j1" && find . -type f | sort | tr '\n' ' ')" \
	"$(cd "$IT_WORK/j3" && find . -type f | sort | tr '\n' ' ')"
it_eq "--jobs 3: the same text, Markdown, HTML, CSV and JSON" "" \
	"$(cd "$IT_WORK/j1" && for f in *.txt *.md *.html *.csv *.json; do cmp -s "$f" "../j3/$f" || echo "$f"; done)"
it_eq "--jobs 3: the same messages" "$(sort "$IT_WORK/j1.err")" "$(sort "$IT_WORK/j3.err")"
it_eq "--jobs 3: every PDF whole, as many pages" \
	"$(cd "$IT_WORK/j1" && for f in *.pdf; do pdfinfo "$f" | grep '^Pages:'; done)" \
	"$(cd "$IT_WORK/j3" && for f in *.pdf; do pdfinfo "$f" | grep '^Pages:'; done)"

# --- usage and data errors: sysexits, one line and a hint ----------------------------
while read -r want args; do
	# shellcheck disable=SC2086
	"$REPORT" -c "$IT_WORK/d.conf" $args >/dev/null 2>"$IT_WORK/err" && rc=0 || rc=$?
	it_eq "exit $want for: $args ($(head -c 80 "$IT_WORK/err"))" "$want" "$rc"
	it_eq "one error line (and a hint) for: $args" 1 "$(grep -c '^disclosed-report: ' "$IT_WORK/err")"
done <<'CASES'
64 --year 2021 --agency demo-bureau --template 2019
66 --year 2023 --agency demo-bureau
66 --year 2023 --all
66 --year 2021 --agency nobody
64 --agency demo-bureau
64 --year 2021 --agency x --all
64 --year 2021 --all --jobs 0
64 --bogus
CASES
# --- HTML in a real browser -----------------------------------------------------------
if command -v chromium >/dev/null; then
	"$REPORT" -c "$IT_WORK/d.conf" --year 2021 --agency demo-bureau --format html >"$IT_WORK/r.html" 2>/dev/null
	# The browser lays the page out; a script then checks that every row of
	# every table ends at the table's right edge (no ragged or overflowing
	# rows: rowspan/colspan add up) and that section 三 has its 28 rows.
	{
		sed 's#</body>##; s#</html>##' "$IT_WORK/r.html"
		cat <<'JS'
<script>
var bad = [];
document.querySelectorAll("table").forEach(function (t) {
  var right = t.getBoundingClientRect().right, reach = [];
  /* A row reaches as far right as its own cells and those spanning down
   * into it from rows above. */
  Array.from(t.rows).forEach(function (row, i) {
    Array.from(row.cells).forEach(function (c) {
      for (var k = i; k < i + c.rowSpan && k < t.rows.length; k++)
        reach[k] = Math.max(reach[k] || 0, c.getBoundingClientRect().right);
    });
  });
  reach.forEach(function (r, i) {
    if (Math.abs(r - right) > 2) bad.push((t.id || t.className) + " row " + i);
  });
});
var s3 = document.getElementById("section3").rows.length;
document.body.setAttribute("data-layout", bad.length ? "ragged: " + bad.join(", ") : "ok s3rows=" + s3);
</script></body></html>
JS
	} >"$IT_WORK/check.html"
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--disable-background-networking --disable-component-update --no-first-run \
		--user-data-dir="$IT_WORK/chromium" --dump-dom "file://$IT_WORK/check.html" \
		>"$IT_WORK/dom.html" 2>/dev/null || true
	it_eq "Chromium layout of the report's tables" "ok s3rows=28" \
		"$(sed -n 's/.*data-layout="\([^"]*\)".*/\1/p' "$IT_WORK/dom.html" | head -1)"
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--disable-background-networking --disable-component-update --no-first-run \
		--user-data-dir="$IT_WORK/chromium" --window-size=1200,2400 \
		--screenshot="$IT_WORK/report.png" "file://$IT_WORK/r.html" >/dev/null 2>&1 || true
	if [ -s "$IT_WORK/report.png" ]; then
		it_pass "screenshot rendered ($(stat -c %s "$IT_WORK/report.png") bytes)"
	else
		it_fail "Chromium rendered no screenshot"
	fi
	[ -n "${REPORT_SCREENSHOT:-}" ] && cp "$IT_WORK/report.png" "$REPORT_SCREENSHOT"
else
	it_fail "chromium is not installed (scripts/test.sh installs it)"
fi

# --- an event arriving late for a year already reported --------------------------
# An application received in 2020 and still open, ingested after the 2020
# report was stored: 2021's row 2 no longer matches the published row 4.
printf '%s\n' '{"specversion":"1.0","id":"late-1","source":"/fixture","type":"disclosure.application.received","time":"2020-12-30T10:00:00+08:00","subject":"AP-LATE","agency":"demo-bureau","data":{"applicant_class":"natural_person"}}' >"$IT_WORK/late"
it_ingest_lines "$IT_WORK/late" "${IT_TOPICS}complaints"
csv demo-bureau 2021 >/dev/null && rc=0 || rc=$?
it_eq "late 2020 event: 2021 exit status" 1 "$rc"
if grep -q "check s3.carry_over FAILED: natural_person: 2 != 1" "$IT_WORK/stderr"; then
	it_pass "the carry-over check names the column and both counts"
else
	it_fail "carry-over failure not reported: $(cat "$IT_WORK/stderr")"
fi

# --- issue 10 defects: 主动公开信息, a plain 3.6 in 2021, the Kafka key ----------
{
	for i in $(seq 1 62); do
		printf '{"specversion":"1.0","id":"norm-%d","source":"/fixture","type":"disclosure.publication.published","time":"2021-05-01T10:00:00+08:00","subject":"ND-%d","agency":"norm-bureau","data":{"category":"normative_document","channel":"website"}}\n' "$i" "$i"
	done
	printf '%s\n' '{"specversion":"1.0","id":"p36-1","source":"/fixture","type":"disclosure.application.received","time":"2021-03-01T10:00:00+08:00","subject":"AP-P36","agency":"p36-bureau","data":{"applicant_class":"natural_person"}}' \
		'{"specversion":"1.0","id":"p36-2","source":"/fixture","type":"disclosure.application.closed","time":"2021-03-10T10:00:00+08:00","subject":"AP-P36","agency":"p36-bureau","data":{"outcome":"3.6"}}'
} >"$IT_WORK/defects"
it_ingest_lines "$IT_WORK/defects" "${IT_TOPICS}complaints"
csv norm-bureau 2021 >"$IT_WORK/norm.csv" || true
it_eq "62 normative documents only: 主动公开信息" 0 "$(cell "$IT_WORK/norm.csv" 1 overview proactive_total value)"
it_eq "62 normative documents only: 现行有效件数" 62 "$(cell "$IT_WORK/norm.csv" 2 art20_1 normative_document in_force)"
"$REPORT" -c "$IT_WORK/d.conf" --year 2021 --agency norm-bureau --format text 2>/dev/null >"$IT_WORK/norm.txt" || true
if grep -q "共主动公开信息0条" "$IT_WORK/norm.txt"; then
	it_pass "the prose says 共主动公开信息0条"
else
	it_fail "prose: $(grep -o '共主动公开信息[0-9]*条' "$IT_WORK/norm.txt")"
fi
csv p36-bureau 2021 >/dev/null && rc=0 || rc=$?
it_eq "plain 3.6 in a template 2021 year: exit status" 1 "$rc"
if grep -q "check data.application_outcome_3_6_in_template_2021 FAILED: agency p36-bureau: 1 application(s) closed in 2021 with outcome 3.6.*AP-P36" "$IT_WORK/stderr"; then
	it_pass "the plain 3.6 names the application"
else
	it_fail "plain 3.6 not reported: $(cat "$IT_WORK/stderr")"
fi
it_eq "evtool lines keys each message by its subject" 0 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.raw_event WHERE kafka_key IS DISTINCT FROM convert_to(subject, 'UTF8')")"

# --- completeness per agency (issue 10, defect 6) ---------------------------------
# Every partition stored up to the broker's end offset: p36-bureau's latest
# event (March 2021) is before the year end, yet nothing can be missing.
csv p36-bureau 2021 >/dev/null || true
if grep -q "data may be incomplete" "$IT_WORK/stderr"; then
	it_fail "warned with every partition's lag 0: $(grep incomplete "$IT_WORK/stderr")"
else
	it_pass "no completeness warning when every partition's lag is 0"
fi
it_eq "the snapshot stores the agency's latest event time and each partition's offsets" "2021-03-10|t|0" \
	"$(it_psql -c "SELECT left(report->'watermark'->>'latest_event_time', 10), report->'watermark'->>'complete' = 'true', count(*) FILTER (WHERE p->>'end_offset' IS NULL OR (p->>'stored_next_offset')::bigint <> (p->>'end_offset')::bigint) FROM disclosed.report_snapshot, jsonb_array_elements(report->'watermark'->'partitions') p WHERE agency = 'p36-bureau' AND year = 2021 GROUP BY report")"
# One of its events on the broker, not stored yet (the daemon is stopped):
# the warning names the partition and how far behind it is.
printf '%s\n' '{"specversion":"1.0","id":"p36-3","source":"/fixture","type":"disclosure.application.received","time":"2021-12-01T10:00:00+08:00","subject":"AP-P36B","agency":"p36-bureau","data":{"applicant_class":"natural_person"}}' >"$IT_WORK/unread"
"$EVTOOL" lines -b "$KAFKA_BOOTSTRAP" -t "${IT_TOPICS}complaints" "$IT_WORK/unread" >/dev/null
csv p36-bureau 2021 >/dev/null || true
if grep -qE "warning: p36-bureau 2021: data may be incomplete: its latest stored event \(2021-03-10[^)]*\) is before the end of the year, and partitions of its topics are behind the broker: ${IT_TOPICS}complaints\[[0-9]+\] 1 message\(s\) behind \(stored up to offset [0-9]+, broker end offset [0-9]+\)" "$IT_WORK/stderr"; then
	it_pass "an unread message: the warning names the partition and its lag"
else
	it_fail "no or wrong completeness warning: $(cat "$IT_WORK/stderr")"
fi
it_done
