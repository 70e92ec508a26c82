#!/usr/bin/env bash
# The report as offices publish it: the seed's 2020 report with its own texts
# (tests/fixtures/seed-2020/texts) and a template 2021 dataset, rendered in
# every format, which agree figure by figure (tests/tools/report_agree.py);
# the texts' placeholders, date and signature; a missing text warned about,
# or refused with exit 66 under --require-texts; an unknown placeholder
# refused naming its file and line; CSV for Excel (byte order mark, tables
# layout); the HTML printed by headless Chromium on A4, every figure in the
# PDF, header rows repeated, no page ending with a heading.
. "$(dirname "$0")/lib.sh"
it_services
REPORT=$BUILD/disclosed-report
AGREE=$IT_ROOT/tests/tools/report_agree.py
cp -r "$IT_ROOT/tests/fixtures/seed-2020/texts" "$IT_WORK/texts"
it_config "$IT_WORK/d.conf" "[report]" "texts_dir = $IT_WORK/texts" "output_dir = $IT_WORK/out"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
{
	cat "$IT_ROOT/tests/fixtures/seed-2020/events.jsonl"
	"$IT_ROOT/tests/fixtures/report-2021.sh" demo-bureau
} >"$IT_WORK/events"
it_ingest_lines "$IT_WORK/events" "${IT_TOPICS}complaints"

rep() { # agency year [options...]: the report, stderr in $IT_WORK/stderr
	local a=$1 y=$2
	shift 2
	"$REPORT" -c "$IT_WORK/d.conf" --year "$y" --agency "$a" --no-snapshot --date 2021-01-29 "$@" 2>"$IT_WORK/stderr"
}

# --- every format agrees, figure by figure ----------------------------------
for ay in "yaodu-xinfang 2020" "demo-bureau 2021"; do
	set -- "${ay% *}" "${ay#* }"
	base=$IT_WORK/$1-$2
	for f in json:json csv:csv text:txt markdown:md html:html; do
		rep "$1" "$2" --format "${f%%:*}" -o "$base.${f#*:}" || true
	done
	rep "$1" "$2" --format csv --csv-layout tables -o "$base.tables.csv" || true
	if python3 "$AGREE" "$base" >"$IT_WORK/agree" 2>&1; then
		it_pass "$1 $2: every format agrees ($(grep -c '^ok' "$IT_WORK/agree") comparisons)"
	else
		it_fail "$1 $2: formats disagree: $(grep -v '^ok' "$IT_WORK/agree" | head -5)"
	fi
done

# --- the seed's texts --------------------------------------------------------
S=$IT_WORK/yaodu-xinfang-2020
it_eq "heading: the full name" 尧都区信访局 "$(head -1 "$S.txt")"
# The report ends with them; the checks (数据检查) follow, set apart by a rule.
report_end() { sed '/^────────────────$/,$d' "$@" | grep -v '^$'; }
it_eq "signature, then the date" "尧都区信访局|2021年1月29日" "$(report_end "$S.txt" | tail -2 | paste -sd '|')"
it_eq "the checks after the report, under their heading" "附：数据检查" \
	"$(sed -n '/^────────────────$/{n;p;}' "$S.txt")"
if grep -q "^二是积极主动公开政府信息。.*2020年，共主动公开信息305条，其中，工作动态21条、领导接访信息58条、通知公告4条、网上投诉156件次,全部转交有权处理责任单位处理，受理率达100%；尧都阳光信访政务新媒体共计发布各类信息66篇，关注度4585次，粉丝数733人，目前运行正常。$" "$S.txt"; then
	it_pass "section 一: the seed's paragraph with its figures filled in"
else
	it_fail "section 一's paragraph: $(grep 二是 "$S.txt")"
fi
it_eq "section 一: four paragraphs, no placeholder left" "4|0" \
	"$(awk '/^一、/ { s = 1; next } /^二、/ { s = 0 } s && /[^[:space:]]/ { n++ } END { printf "%d|", n }' "$S.txt")$(grep -c '[{}]' "$S.txt")"
if grep -q '<p class="date">2021年1月29日</p>' "$S.html"; then
	it_pass "HTML: the date under the signature"
else
	it_fail "HTML has no date: $(tail -4 "$S.html")"
fi
it_eq "the date defaults to today in the time zone" "$(TZ=Asia/Shanghai date +%Y年%-m月%-d日)" \
	"$("$REPORT" -c "$IT_WORK/d.conf" --year 2020 --agency yaodu-xinfang --no-snapshot 2>/dev/null | report_end | tail -1)"
rep yaodu-xinfang 2020 --date 2021-13-01 >/dev/null && rc=0 || rc=$?
it_eq "--date 2021-13-01 refused as a usage error" 64 "$rc"

# --- missing texts -------------------------------------------------------------
rep demo-bureau 2021 >"$IT_WORK/demo.txt" && rc=0 || rc=$?
it_eq "missing texts: still a report (exit 0)" 0 "$rc"
for f in name one five six; do
	if grep -q "warning: demo-bureau 2021: text missing: $IT_WORK/texts/demo-bureau/$f.txt" "$IT_WORK/stderr"; then
		it_pass "warning names $f.txt"
	else
		it_fail "no warning naming $f.txt: $(cat "$IT_WORK/stderr")"
	fi
done
rep demo-bureau 2021 --require-texts -o "$IT_WORK/refused.txt" && rc=0 || rc=$?
it_eq "--require-texts: a missing text is exit 66" 66 "$rc"
if [ ! -e "$IT_WORK/refused.txt" ]; then
	it_pass "--require-texts: no report written"
else
	it_fail "a report was written"
fi
if grep -q "error: demo-bureau 2021: text missing: .*/demo-bureau/name.txt" "$IT_WORK/stderr"; then
	it_pass "--require-texts names the missing file"
else
	it_fail "not named: $(cat "$IT_WORK/stderr")"
fi
rep yaodu-xinfang 2020 --require-texts >/dev/null && rc=0 || rc=$?
it_eq "--require-texts with every text: exit 0" 0 "$rc"
# --all: every agency's texts are required before anything is written.
"$REPORT" -c "$IT_WORK/d.conf" --year 2021 --all --format all --require-texts --no-snapshot \
	-o "$IT_WORK/all" 2>"$IT_WORK/stderr" && rc=0 || rc=$?
it_eq "--all --require-texts with an agency missing texts: exit 66, nothing written" "66|0" \
	"$rc|$(find "$IT_WORK/all" -type f 2>/dev/null | wc -l)"
# A copied template (comments only) counts as missing.
mkdir -p "$IT_WORK/texts/demo-bureau"
cp "$IT_ROOT"/config/texts/TEMPLATE/*.txt "$IT_WORK/texts/demo-bureau/"
rep demo-bureau 2021 >/dev/null && rc=0 || rc=$?
it_eq "the shipped templates unchanged: 4 texts missing" "0|4" "$rc|$(grep -c 'text missing' "$IT_WORK/stderr")"

# --- placeholders -----------------------------------------------------------------
printf '# comment\n{年度}年收到申请{申请总数}件，办结{applications_answered}件，结转{结转下年度申请数}件。\n复议{行政复议数}件，诉讼{litigations}件；{no_such_figure}。\n' \
	>"$IT_WORK/texts/demo-bureau/one.txt"
rep demo-bureau 2021 >/dev/null && rc=0 || rc=$?
it_eq "unknown placeholder: exit 65" 65 "$rc"
if grep -q "$IT_WORK/texts/demo-bureau/one.txt:3: unknown placeholder {no_such_figure}" "$IT_WORK/stderr"; then
	it_pass "the unknown placeholder is named with its file and line"
else
	it_fail "not named: $(cat "$IT_WORK/stderr")"
fi
sed -i 's/；{no_such_figure}//' "$IT_WORK/texts/demo-bureau/one.txt"
rep demo-bureau 2021 >"$IT_WORK/demo.txt" || true
if grep -q "^2021年收到申请24件，办结21件，结转5件。$" "$IT_WORK/demo.txt" && grep -q "^复议2件，诉讼2件。$" "$IT_WORK/demo.txt"; then
	it_pass "placeholders filled from the tables (Chinese and English names)"
else
	it_fail "placeholders: $(sed -n '/^一、/,/^二、/p' "$IT_WORK/demo.txt")"
fi

# --- CSV for Excel -------------------------------------------------------------------
it_eq "CSV starts with the UTF-8 byte order mark" efbbbf "$(head -c 3 "$S.csv" | od -An -tx1 | tr -d ' \n')"
rep yaodu-xinfang 2020 --format csv --no-bom >"$IT_WORK/nobom.csv" || true
it_eq "--no-bom: none" 61 "$(head -c 1 "$IT_WORK/nobom.csv" | od -An -tx1 | tr -d ' \n')"
T=$IT_WORK/demo-bureau-2021.tables.csv
if grep -q '^,,,,商业企业,科研机构,社会公益组织,法律服务机构,其他,' "$T" && grep -q '^,（七）总计,,' "$T" &&
	grep -q '^四、结转下年度继续办理,,,' "$T"; then
	it_pass "CSV tables: section 三 with its Chinese header and row labels"
else
	it_fail "CSV tables: $(sed -n '1,40p' "$T")"
fi

# --- section 四's header as the official layout ------------------------------------
python3 - "$S.html" >"$IT_WORK/s4" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
t = re.search(r'<table class="s4".*?<thead>(.*?)</thead>', html, re.S).group(1)
for tr in re.findall(r"<tr>(.*?)</tr>", t):
    print(" ".join(f"{l}:{c or 1}x{r or 1}" for c, r, l in
                   re.findall(r'<th(?: class="n")?(?: colspan="(\d+)")?(?: rowspan="(\d+)")?>([^<]*)</th>', tr)))
PY
it_eq "section 四: 行政复议 on the first header row only, its results over rows 2-3" \
	"行政复议:5x1 行政诉讼:10x1|结果维持:1x2 结果纠正:1x2 其他结果:1x2 尚未审结:1x2 总计:1x2 未经复议直接起诉:5x1 复议后起诉:5x1|10" \
	"$(sed -n 1p "$IT_WORK/s4")|$(sed -n 2p "$IT_WORK/s4")|$(sed -n 3p "$IT_WORK/s4" | wc -w)"

# --- printed by a browser -------------------------------------------------------------
chrome() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d "$IT_WORK/chromium.XXXX")" "$@" >/dev/null 2>&1 || true
}
if ! command -v chromium >/dev/null || ! command -v pdfinfo >/dev/null; then
	it_fail "chromium and poppler-utils are needed (scripts/test.sh installs them)"
	it_done
fi
for ay in yaodu-xinfang-2020 demo-bureau-2021; do
	base=$IT_WORK/$ay
	chrome --no-pdf-header-footer --print-to-pdf="$base.pdf" "file://$base.html"
	chrome --window-size=1000,1800 --screenshot="$base.png" "file://$base.html"
	if [ -s "$base.png" ]; then
		it_pass "$ay: screenshot ($(stat -c %s "$base.png") bytes)"
	else
		it_fail "$ay: no screenshot"
	fi
	# A4 is 595.28 x 841.89 pt; Chromium rounds it to whole CSS pixels.
	it_eq "$ay: printed on A4" "A4" "$(pdfinfo "$base.pdf" 2>/dev/null | awk '/^Page size:/ {
		print ($3 > 594 && $3 < 596.5 && $5 > 841 && $5 < 843 && $7 == "(A4)") ? "A4" : $3 " x " $5 " " $7 }')"
	pages=$(pdfinfo "$base.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
	it_log "$ay: $pages pages"
	pdftotext -layout "$base.pdf" "$base.pdf.txt"
	# Every figure of the JSON is in the PDF, as many times as it occurs.
	if python3 - "$base.json" "$base.pdf.txt" >"$IT_WORK/figs" <<'PY'
import collections, json, re, sys
j = json.load(open(sys.argv[1]))
want = collections.Counter()
def walk(v):
    if isinstance(v, dict):
        for x in v.values(): walk(x)
    else:
        want[str(v)] += 1
for k in ("section2", "section3", "section4"): walk(j[k])
for k in ("proactive_total", "online_complaints", "new_media_views", "new_media_followers"):
    want[str(j["overview"][k])] += 1
got = collections.Counter(re.findall(r"(?<![\d.])-?\d+(?:\.\d+)?%?(?![\d.])", open(sys.argv[2]).read()))
short = {k: (n, got[k]) for k, n in want.items() if got[k] < n}
print(f"{sum(want.values())} figures" if not short else f"value: (wanted, found) {short}")
sys.exit(1 if short else 0)
PY
	then
		it_pass "$ay: every figure is in the PDF ($(cat "$IT_WORK/figs"))"
	else
		it_fail "$ay: figures missing from the PDF: $(cat "$IT_WORK/figs")"
	fi
	ends=""; split=""
	for p in $(seq 1 "$pages"); do
		pdftotext -layout -f "$p" -l "$p" "$base.pdf" "$base.p$p.txt"
		last=$(grep -v '^[[:space:]]*$' "$base.p$p.txt" | tail -1 | sed 's/^[[:space:]]*//')
		case $last in *[0-9]*) ;; [一二三四五六]、* | 第二十条第*) ends="$ends page $p: $last;" ;; esac
		# A page with rows of section 三 has its header rows too (the
		# checks' page, after the report, names row 4 in a check).
		grep -q 附：数据检查 "$base.p$p.txt" && continue
		if grep -qE '属于国家秘密|本机关不掌握|重复申请|结转下年度继续办理|（七）总计' "$base.p$p.txt" &&
			! grep -q 申请人情况 "$base.p$p.txt"; then split="$split page $p"; fi
	done
	it_eq "$ay: no page ends with a heading" "" "$ends"
	it_eq "$ay: section 三's header rows on every page it spans" "" "$split"
	[ -n "${REPORT_PRINT_DIR:-}" ] && cp "$base.pdf" "$base.png" "$base.html" "$REPORT_PRINT_DIR/"
done
it_done
