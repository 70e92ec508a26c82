#!/usr/bin/env bash
# disclosed-report's Word and PDF documents, for the seed's 2020 report
# (template 2019, its own texts) and a template 2021 data set with non-zero
# figures: the .docx read by python-docx (merged header cells as the
# official tables: gridSpan across, vMerge down; every figure of the JSON
# in its cell) and converted by LibreOffice without error (every figure in
# the PDF's text); the PDF on A4 with embedded CJK fonts and every figure
# in reading order. REPORT_DOCS_KEEP=DIR keeps the files for looking at.
. "$(dirname "$0")/lib.sh"
it_services
REPORT=$BUILD/disclosed-report
CHECK=$IT_ROOT/tests/tools/check_report_doc.py
PY=/usr/bin/python3 # Debian's, with python3-docx
it_config "$IT_WORK/d.conf" "[report]" "texts_dir = $IT_WORK/texts" "output_dir = $IT_WORK/out"
cp -r "$IT_ROOT/tests/fixtures/seed-2020/texts" "$IT_WORK/texts"
# Markup in a text is written as text (escaped), a control character dropped.
mkdir -p "$IT_WORK/texts/demo-bureau"
printf '改进<措施> & "计划"\001\n' >"$IT_WORK/texts/demo-bureau/five.txt"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
{
	cat "$IT_ROOT/tests/fixtures/seed-2020/events.jsonl"
	"$IT_ROOT/tests/fixtures/report-2021.sh" demo-bureau
	# A check that fails: an answer to an application never received.
	printf '%s\n' '{"specversion":"1.0","id":"bad-1","source":"/fixture","type":"disclosure.application.closed","time":"2021-05-01T10:00:00+08:00","subject":"AP-GHOST","agency":"bad-bureau","data":{"outcome":"3.1"}}'
} >"$IT_WORK/events"
it_ingest_lines "$IT_WORK/events" "${IT_TOPICS}complaints"

report() { # agency year format -> file named after them
	"$REPORT" -c "$IT_WORK/d.conf" --year "$2" --agency "$1" --format "$3" \
		-o "$IT_WORK/$1-$2.$3" 2>>"$IT_WORK/stderr"
}

# LibreOffice keeps a profile; its own one here, so runs never clash.
soffice_pdf() { # docx outdir
	timeout 180 soffice -env:UserInstallation="file://$IT_WORK/lo-profile" --headless \
		--convert-to pdf --outdir "$2" "$1" >"$IT_WORK/soffice.log" 2>&1
}

# Page rules of a PDF: section 三's header on every page its rows are on
# (the first row's page and the total's), no heading as a page's last line.
page_rules() { # pdf -> "header:<pages with 三 rows>/<of them with its header> stranded:<n>"
	local pdf=$1 n i first=0 last=0 heads=0 stranded=0 text
	n=$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')
	for ((i = 1; i <= n; i++)); do
		text=$(pdftotext -layout -f "$i" -l "$i" "$pdf" -)
		grep -q "一、本年新收" <<<"$text" && first=$i
		grep -q "（七）总计" <<<"$text" && last=$i
		grep -v '^[[:space:]—0-9]*$' <<<"$text" | tail -1 | grep -q '^[[:space:]]*[一二三四五六]、[^0-9]*$' &&
			stranded=$((stranded + 1))
	done
	for i in $(seq "$first" "$last"); do
		pdftotext -f "$i" -l "$i" "$pdf" - | grep -q "法人或其他组织" && heads=$((heads + 1))
	done
	echo "header:$((last - first + 1))/$heads stranded:$stranded"
}

for ay in yaodu-xinfang:2020 demo-bureau:2020 demo-bureau:2021; do
	a=${ay%%:*} y=${ay#*:} base=$IT_WORK/${ay%%:*}-${ay#*:}
	# A first run stores the year's report: the runs below compare with it
	# (published.unchanged holds), so their checks are alike.
	report "$a" "$y" json || true
	for f in json docx pdf; do
		report "$a" "$y" "$f" && rc=0 || rc=$?
		it_eq "$a $y --format $f exit status" 0 "$rc"
	done
	it_eq "$a $y docx is a zip with the WordprocessingML parts" \
		"[Content_Types].xml _rels/.rels word/document.xml word/styles.xml" \
		"$("$PY" -c 'import sys, zipfile; n = zipfile.ZipFile(sys.argv[1]).namelist(); print(*[p for p in ("[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml") if p in n])' "$base.docx")"
	if out=$("$PY" "$CHECK" docx "$base.docx" "$base.json" 2>&1); then
		it_pass "$a $y docx (python-docx): $out"
	else
		it_fail "$a $y docx (python-docx): $out"
	fi
	mkdir -p "$base.lo"
	soffice_pdf "$base.docx" "$base.lo" && rc=0 || rc=$?
	it_eq "$a $y LibreOffice converts the docx (exit status)" 0 "$rc"
	if out=$("$PY" "$CHECK" text "$base.lo/$a-$y.pdf" "$base.json" 2>&1); then
		it_pass "$a $y docx converted by LibreOffice: $out"
	else
		it_fail "$a $y docx converted by LibreOffice: $out"
	fi
	it_eq "$a $y pdf page size" "595.28 x 841.89 pts (A4)" \
		"$(pdfinfo "$base.pdf" | sed -n 's/^Page size: *//p')"
	it_eq "$a $y pdf: CJK fonts, all embedded" "cjk=yes unembedded=0" \
		"$(pdffonts "$base.pdf" | awk 'NR > 2 { if ($1 ~ /CJK/) cjk = "yes"; if ($(NF-4) != "yes") bad++ }
			END { printf "cjk=%s unembedded=%d\n", cjk ? cjk : "no", bad }')"
	if out=$("$PY" "$CHECK" text "$base.pdf" "$base.json" 2>&1); then
		it_pass "$a $y pdf: $out"
	else
		it_fail "$a $y pdf: $out"
	fi
	for f in "$base.pdf" "$base.lo/$a-$y.pdf"; do
		what=pdf
		[ "$f" = "$base.pdf" ] || what="docx converted by LibreOffice"
		r=$(page_rules "$f") p=${r#header:} p=${p%%/*}
		it_eq "$a $y $what: 三 header on each of its pages, no stranded heading" \
			"header:$p/$p stranded:0" "$r"
	done
	it_log "$a $y: pdf $(pdfinfo "$base.pdf" | sed -n 's/^Pages: *//p') pages, docx by LibreOffice $(pdfinfo "$base.lo/$a-$y.pdf" | sed -n 's/^Pages: *//p') pages"
	# 2020: the carry-over not made (no 2019 report stored), so the
	# checks are printed; 2021: all hold, and the published documents are
	# left as they are.
	for f in docx pdf; do
		if out=$("$PY" "$CHECK" checks "$base.$f" "$base.json" 2>&1); then
			it_pass "$a $y $f checks: $out"
		else
			it_fail "$a $y $f checks: $out"
		fi
	done
done
it_eq "the published documents of a year whose checks all hold carry none" "0 0" \
	"$(grep -c '"state": "not_checked"\|"state": "failed"' "$IT_WORK/demo-bureau-2021.json") $(pdftotext "$IT_WORK/demo-bureau-2021.pdf" - | grep -c 数据检查)"

# A check failed and one not made: printed in Word and PDF as a reader sees
# them, after the signature (a first run stored, as above).
for f in json json docx pdf; do report bad-bureau 2021 "$f" || true; done
for f in docx pdf; do
	if out=$("$PY" "$CHECK" checks "$IT_WORK/bad-bureau-2021.$f" "$IT_WORK/bad-bureau-2021.json" 2>&1); then
		it_pass "bad-bureau 2021 $f checks: $out"
	else
		it_fail "bad-bureau 2021 $f checks: $out"
	fi
done
it_eq "the failed check, a paragraph of the docx" \
	"✗ 不成立　每件办结的申请均有收到记录（data.application_closed_without_application：agency bad-bureau: 1 case(s), e.g. subject AP-GHOST）" \
	"$("$PY" -c 'import sys, docx; print(*[p.text for p in docx.Document(sys.argv[1]).paragraphs if p.text.startswith("✗")])' "$IT_WORK/bad-bureau-2021.docx")"
it_eq "the check not made, a paragraph of the docx" \
	"— 未检查　上年结转申请数等于上一年度报告的结转下年度继续办理数（s3.carry_over：not checked: no report of 2020 stored）" \
	"$("$PY" -c 'import sys, docx; print(*[p.text for p in docx.Document(sys.argv[1]).paragraphs if p.text.startswith("—")])' "$IT_WORK/bad-bureau-2021.docx")"
# (Spaces, line ends and hyphens out: pdftotext joins a word broken at a
# hyphen across lines.)
if pdftotext "$IT_WORK/bad-bureau-2021.pdf" - | tr -d ' \n-' | grep -qF "✗不成立每件办结的申请均有收到记录（data.application_closed_without_application：agencybadbureau:1case(s),e.g.subjectAPGHOST）"; then
	it_pass "the failed check in the pdf's text"
else
	it_fail "the failed check is not in the pdf's text: $(pdftotext "$IT_WORK/bad-bureau-2021.pdf" - | grep -A3 数据检查)"
fi
# --checks never: the documents as published, even with a failed check.
"$REPORT" -c "$IT_WORK/d.conf" --year 2021 --agency bad-bureau --format pdf --checks never \
	--no-snapshot -o "$IT_WORK/never.pdf" 2>/dev/null && rc=0 || rc=$?
it_eq "--checks never: the exit status still says a check failed" 1 "$rc"
it_eq "--checks never: no checks in the pdf" 0 "$(pdftotext "$IT_WORK/never.pdf" - | grep -c 数据检查)"

it_eq "markup in a text, as text in the docx" '改进<措施> & "计划"' \
	"$("$PY" -c 'import sys, docx; print(*[p.text for p in docx.Document(sys.argv[1]).paragraphs if "改进<" in p.text])' "$IT_WORK/demo-bureau-2021.docx")"

it_eq "markup in a text, as text in the pdf" '改进<措施> & "计划"' \
	"$(pdftotext "$IT_WORK/demo-bureau-2021.pdf" - | grep -F '改进<')"

# The seed's texts are in both documents.
if pdftotext "$IT_WORK/yaodu-xinfang-2020.pdf" - | tr -d ' \n' | grep -q "一是局系统内部政府信息公开的意识有待加强"; then
	it_pass "seed pdf holds the seed's section 五 text"
else
	it_fail "seed pdf lacks the seed's section 五 text"
fi

# Binary formats are not written to a terminal (script(1) gives one).
if command -v script >/dev/null; then
	script -qec "$REPORT -c $IT_WORK/d.conf --year 2020 --agency yaodu-xinfang --format pdf" /dev/null \
		>"$IT_WORK/tty.out" 2>&1 && rc=0 || rc=$?
	if [ "$rc" = 64 ] && grep -q "writes a binary file" "$IT_WORK/tty.out" && ! grep -q "%PDF" "$IT_WORK/tty.out"; then
		it_pass "--format pdf refuses a terminal (exit status $rc)"
	else
		it_fail "--format pdf to a terminal: exit status $rc, $(head -c 200 "$IT_WORK/tty.out")"
	fi
fi

# --format all writes every format, docx and pdf included.
"$REPORT" -c "$IT_WORK/d.conf" --year 2021 --agency demo-bureau --format all -o "$IT_WORK/all" 2>/dev/null || true
it_eq "--format all" "csv docx html json md pdf txt" \
	"$(find "$IT_WORK/all" -name 'demo-bureau-2021.*' -printf '%f\n' | sed 's/.*\.//' | sort | xargs)"

if [ -n "${REPORT_DOCS_KEEP:-}" ]; then
	mkdir -p "$REPORT_DOCS_KEEP"
	cp "$IT_WORK"/*.docx "$IT_WORK"/*.pdf "$IT_WORK"/*.json "$REPORT_DOCS_KEEP"/
	for d in "$IT_WORK"/*.lo; do cp "$d"/*.pdf "$REPORT_DOCS_KEEP/$(basename "$d" .lo).lo.pdf"; done
fi
it_done
