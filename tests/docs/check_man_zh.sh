#!/usr/bin/env bash
# The Chinese man pages (docs/man/zh_CN/) document what the English ones do:
# for every page, the same options (-x, --long-option), the same commands
# (the bold names in COMMANDS / 命令), the same configuration sections and
# keys (disclosed.conf.5: SECTIONS / 配置节) and the same exit codes
# (EXIT STATUS / 退出状态). A difference is reported as what one page has and
# the other lacks. Each Chinese page must also format without groff warnings.
#   tests/docs/check_man_zh.sh            (MAN_DIR=docs/man by default)
set -uo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MAN_DIR=${MAN_DIR:-$ROOT/docs/man}
ZH_DIR=$MAN_DIR/zh_CN
# Every English page needs its Chinese one.
PAGES=()
for f in "$MAN_DIR"/*.[1-9]; do
	[ -f "$f" ] && PAGES+=("$(basename "$f")")
done
PASSES=0
FAILS=0

pass() { echo "ok: $*"; PASSES=$((PASSES + 1)); }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
done_() { echo "$PASSES passed, $FAILS failed"; [ "$FAILS" -eq 0 ]; }

# The lines of one section (.SH NAME or .SH "NAME"), without the heading.
section() { # FILE NAME
	awk -v want="$2" '
		/^\.SH[ \t]/ {
			name = $0
			sub(/^\.SH[ \t]+/, "", name)
			gsub(/"/, "", name)
			sub(/[ \t]+$/, "", name)
			in_s = (name == want)
			next
		}
		in_s' "$1"
}

# Tag lines: the line after each .TP (the item being described).
tags() { awk 'tp { print; tp = 0; next } /^\.TP/ { tp = 1 }'; }

# Bold runs, one a line: the arguments of .B, the bold arguments of .BR,
# .RB, .BI, .IB, and \fB...\fR inline. "\-" reads "-".
bold_runs() {
	awk '
	function flush() {
		if (run != "") {
			gsub(/^[ \t,;:()]+|[ \t,;:()]+$/, "", run)
			if (run != "") print run
		}
		run = ""
	}
	# Append text in the current font, following inline \f escapes.
	function emit(s,    i, c, f) {
		while ((i = index(s, "\\f")) > 0) {
			if (bold) run = run substr(s, 1, i - 1)
			f = substr(s, i + 2, 1)
			s = substr(s, i + 3)
			if (f == "(") { f = substr(s, 1, 2); s = substr(s, 3) }
			else if (f == "[") { c = index(s, "]"); f = substr(s, 1, c - 1); s = substr(s, c + 1) }
			flush()
			bold = (f == "B" || f == "CB")
		}
		if (bold) run = run s
	}
	# Split macro arguments, honouring double quotes.
	function args(s, out,    n, q, c, cur, i) {
		n = 0; q = 0; cur = ""
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c == "\"") { q = !q; continue }
			if (!q && (c == " " || c == "\t")) {
				if (cur != "") out[++n] = cur
				cur = ""
				continue
			}
			cur = cur c
		}
		if (cur != "") out[++n] = cur
		return n
	}
	{
		gsub(/\\-/, "-")
		gsub(/\\&/, "")
		line = $0
		if (line ~ /^\.(B|BR|RB|BI|IB|I|IR|RI)([ \t]|$)/) {
			m = line; sub(/[ \t].*$/, "", m); m = substr(m, 2)
			rest = line; sub(/^\.[A-Z]+[ \t]*/, "", rest)
			if (m == "B") { bold = 1; emit(rest); bold = 0; flush(); next }
			if (m == "I") { next }
			n = args(rest, a)
			first = (m == "BR" || m == "BI") ? 1 : 0
			if (m == "RB" || m == "IB") first = 0
			for (k = 1; k <= n; k++) {
				bold = ((k % 2 == 1) == (first == 1))
				emit(a[k]); flush()
			}
			bold = 0
			next
		}
		if (line ~ /^\./) { flush(); bold = 0; next }
		emit(line); flush()
	}
	END { flush() }'
}

# Options anywhere on the page, font escapes and macro names removed.
options() { # FILE
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f([A-Z][A-Z]//g' \
		-e 's/^\.[A-Z][A-Z]*[[:space:]]*//' "$1" |
		grep -oE '(^|[^[:alnum:]_-])--?[A-Za-z][A-Za-z0-9-]*' |
		sed -E 's/^[^-]*//' | sort -u
}

# The names in COMMANDS / 命令: bold runs of the tag lines, options apart
# (also an option in the same bold run as the name: ".B rewind \-\-group").
commands() { # FILE EN|ZH
	local s=COMMANDS
	[ "$2" = ZH ] && s=命令
	LC_ALL=C.UTF-8 section "$1" "$s" | tags | bold_runs |
		sed -E 's/(^|[[:space:]]+)--?[A-Za-z][A-Za-z0-9-]*//g' | grep . | sort -u
}

# Configuration sections anywhere, keys in SECTIONS / 配置节: the words of
# bold runs before an "=", as INI key names.
keys() { # FILE EN|ZH
	local s=SECTIONS
	[ "$2" = ZH ] && s=配置节
	{
		grep -oE '\[[a-z_]+\]' "$1"
		LC_ALL=C.UTF-8 section "$1" "$s" | bold_runs |
			awk '{ for (i = 1; i <= NF && $i != "="; i++) print $i }' |
			grep -E '^[a-z][a-z0-9_.]*$' | grep -vx disclosed
	} | sort -u
}

# Exit codes: the numbers in EXIT STATUS / 退出状态, less those of
# sysexits.h and of page references such as sysexits (3).
exit_codes() { # FILE EN|ZH
	local s="EXIT STATUS"
	[ "$2" = ZH ] && s=退出状态
	LC_ALL=C.UTF-8 section "$1" "$s" | sed -E -e 's/sysexits\.h//g' \
		-e 's/[[:alnum:]_.\\-]+[[:space:]]*\([1-9][a-z]*\)//g' |
		grep -oE '[0-9]+' | sort -un
}

# Compare one kind of item between the two pages of one name.
compare() { # PAGE KIND EN_LIST ZH_LIST
	local page=$1 kind=$2 only_en only_zh
	only_en=$(comm -23 <(printf '%s\n' "$3" | grep .) <(printf '%s\n' "$4" | grep .))
	only_zh=$(comm -13 <(printf '%s\n' "$3" | grep .) <(printf '%s\n' "$4" | grep .))
	if [ -z "$only_en" ] && [ -z "$only_zh" ]; then
		pass "$page: the same ${kind}s in both languages ($(printf '%s\n' "$3" | grep -c .))"
		return
	fi
	local x
	while IFS= read -r x; do
		[ -n "$x" ] && fail "$page: $kind '$x' is in the English page, not in zh_CN/$page"
	done <<<"$only_en"
	while IFS= read -r x; do
		[ -n "$x" ] && fail "$page: $kind '$x' is in zh_CN/$page, not in the English page"
	done <<<"$only_zh"
}

# Guard against an extraction that finds nothing (then equality proves
# nothing): what each English page is known to document at least.
expect() { # PAGE KIND LIST WANT...
	local page=$1 kind=$2 list=$3 w
	shift 3
	for w in "$@"; do
		# A here-string, not printf | grep -q: grep -q exits at the first
		# match, printf may then die of SIGPIPE, and pipefail fails the test.
		grep -qxF -- "$w" <<<"$list" ||
			fail "$page: found no $kind '$w' in the English page (extraction broken?)"
	done
}

if [ "${#PAGES[@]}" -ge 3 ]; then
	pass "${#PAGES[@]} English pages in $MAN_DIR"
else
	fail "found ${#PAGES[@]} English pages in $MAN_DIR (want disclosed.8, disclosed-report.1, disclosed.conf.5)"
fi
for f in "$ZH_DIR"/*.[1-9]; do
	[ -f "$f" ] && [ ! -f "$MAN_DIR/$(basename "$f")" ] &&
		fail "zh_CN/$(basename "$f") has no English page"
done
for page in "${PAGES[@]}"; do
	en=$MAN_DIR/$page
	zh=$ZH_DIR/$page
	if [ ! -f "$en" ]; then
		fail "no English page $en"
		continue
	fi
	if [ ! -f "$zh" ]; then
		fail "no Chinese page $zh"
		continue
	fi
	th_en=$(awk '/^\.TH/ { print $2, $3; exit }' "$en")
	th_zh=$(awk '/^\.TH/ { print $2, $3; exit }' "$zh")
	if [ "$th_en" = "$th_zh" ]; then
		pass "$page: .TH $th_zh in both"
	else
		fail "$page: .TH is '$th_en' in English, '$th_zh' in zh_CN"
	fi

	o_en=$(options "$en")
	o_zh=$(options "$zh")
	compare "$page" option "$o_en" "$o_zh"
	e_en=$(exit_codes "$en" EN)
	e_zh=$(exit_codes "$zh" ZH)
	compare "$page" "exit code" "$e_en" "$e_zh"
	case $page in
	disclosed.8) expect "$page" "exit code" "$e_en" 0 ;;
	disclosed-report.1) expect "$page" "exit code" "$e_en" 0 1 ;; # docs/report.md: 1 = a check failed
	esac

	case $page in
	disclosed.8)
		c_en=$(commands "$en" EN)
		c_zh=$(commands "$zh" ZH)
		compare "$page" command "$c_en" "$c_zh"
		expect "$page" command "$c_en" run migrate rewind
		expect "$page" option "$o_en" -c --check-config
		;;
	disclosed-report.1)
		expect "$page" option "$o_en" --year --agency --all --format
		;;
	disclosed.conf.5)
		k_en=$(keys "$en" EN)
		k_zh=$(keys "$zh" ZH)
		compare "$page" "config key" "$k_en" "$k_zh"
		expect "$page" "config key" "$k_en" '[kafka]' '[postgresql]' conninfo \
			password_file batch_size hmac_key_file level
		;;
	esac

	if command -v groff >/dev/null 2>&1; then
		warn=$(LC_ALL=C.UTF-8 groff -k -man -Tutf8 -ww -z "$zh" 2>&1)
		if [ -z "$warn" ]; then
			pass "zh_CN/$page formats without groff warnings"
		else
			fail "zh_CN/$page: groff says: $(printf '%s\n' "$warn" | head -5)"
		fi
	else
		echo "skip: groff not installed, zh_CN/$page not formatted"
	fi
done

done_
