#!/usr/bin/env bash
# Builds the .deb with CPack, runs lintian on it (any error or warning
# fails), unpacks it into a scratch folder, and checks the layout an
# operator relies on and the binaries' hardening. Prints "N passed, N failed".
# shellcheck disable=SC2015 # `test && ok || no`: ok always succeeds
set -uo pipefail
BUILD=${BUILD:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deb= # set by build_deb
# shellcheck source=tests/package/lib.sh
. "$(dirname "$0")/lib.sh"
build_deb || { finish; exit 1; }

# lintian: errors and warnings fail; the info tags left are explained in
# README (Running under systemd).
if ! command -v lintian >/dev/null; then
	no "lintian is not installed (scripts/test.sh installs it)"
else
	lintian --info --display-info "$deb" >"$work/lintian" 2>&1
	if grep -E '^[EW]: ' "$work/lintian"; then
		no "lintian reports errors or warnings (above)"
	else
		ok "lintian: no error, no warning"
	fi
	grep -E '^I: ' "$work/lintian" | sed 's/^/  lintian info: /'
fi

dpkg-deb -x "$deb" "$work/root" 2>/dev/null
for f in usr/bin/disclosed usr/bin/disclosed-report etc/disclosed/disclosed.conf \
	etc/disclosed/texts/README lib/systemd/system/disclosed.service \
	lib/systemd/system/disclosed-report.service lib/systemd/system/disclosed-report.timer \
	usr/lib/sysusers.d/disclosed.conf usr/share/disclosed/sql/migrations/0001_core.sql \
	usr/share/disclosed/sql/report/section3.sql usr/share/man/man8/disclosed.8.gz \
	usr/share/man/man1/disclosed-report.1.gz usr/share/man/man5/disclosed.conf.5.gz \
	usr/share/doc/disclosed/README.md usr/share/doc/disclosed/events.md \
	usr/share/doc/disclosed/copyright usr/share/doc/disclosed/changelog.gz \
	usr/share/bash-completion/completions/disclosed \
	usr/share/bash-completion/completions/disclosed-report; do
	[ -f "$work/root/$f" ] && ok "/$f" || no "/$f missing"
done
if [ -x "$work/root/usr/bin/disclosed" ] && "$work/root/usr/bin/disclosed" --version | grep -q '^disclosed '; then
	ok "the packaged binary runs"
else
	no "the packaged binary does not run"
fi
if "$work/root/usr/bin/disclosed" --check-config -c "$work/root/etc/disclosed/disclosed.conf" >/dev/null 2>&1; then
	ok "the packaged example config is valid"
else
	no "the packaged example config has errors"
fi
dpkg-deb -e "$deb" "$work/ctl"
for f in /etc/disclosed/disclosed.conf /etc/disclosed/texts/README; do
	grep -qx "$f" "$work/ctl/conffiles" && ok "$f is a conffile" || no "$f is not a conffile"
done
for s in postinst prerm postrm; do
	if command -v shellcheck >/dev/null; then
		shellcheck -s sh "$work/ctl/$s" && ok "$s passes shellcheck" || no "$s fails shellcheck"
	fi
done
# The agencies' texts templates (docs/report.md), kept across upgrades.
for f in name one five six; do
	[ -f "$work/root/etc/disclosed/texts/TEMPLATE/$f.txt" ] && grep -qx "/etc/disclosed/texts/TEMPLATE/$f.txt" "$work/ctl/conffiles" &&
		ok "texts template $f.txt shipped as a conffile" || no "texts template $f.txt missing or not a conffile"
done
deps=$(dpkg-deb -f "$deb" Depends)
for lib in librdkafka libpq5 libjansson4 libinih1 libsystemd0 libmicrohttpd systemd; do
	case $deps in *"$lib"*) ok "depends on $lib" ;; *) no "Depends lacks $lib: $deps" ;; esac
done
summary=$(dpkg-deb -f "$deb" Description | head -1)
[ "${#summary}" -le 80 ] && ok "summary within 80 characters" || no "summary of ${#summary} characters"

# Hardening, as hardening-check (devscripts) sees it: PIE, full RELRO
# (GNU_RELRO and BIND_NOW), stack protector and fortified libc calls.
for exe in disclosed disclosed-report; do
	f=$work/root/usr/bin/$exe
	# Captured first: grep -q closing the pipe early would fail readelf
	# under pipefail.
	elf=$(readelf -hlSdW --dyn-syms "$f")
	grep -q 'Type:.*DYN' <<<"$elf" && ok "$exe is PIE" || no "$exe is not PIE"
	grep -q GNU_RELRO <<<"$elf" && ok "$exe has RELRO" || no "$exe lacks RELRO"
	grep -qE 'BIND_NOW|FLAGS.*NOW' <<<"$elf" && ok "$exe binds now" || no "$exe lacks BIND_NOW"
	grep -q '__stack_chk_fail' <<<"$elf" &&
		ok "$exe has the stack protector" || no "$exe lacks the stack protector"
	grep -qE '__[a-z_]+_chk@' <<<"$elf" &&
		ok "$exe calls fortified functions" || no "$exe calls no fortified function"
	grep -qE '\.symtab|\.debug_|\.comment' <<<"$elf" && no "$exe is not stripped" || ok "$exe is stripped"
done

# Rendered by man(1), the way an operator reads them; a page that renders to
# nothing fails too.
if ! command -v man >/dev/null; then
	no "man is not installed: the pages cannot be checked"
fi
pages=0
for page in "$work"/root/usr/share/man/man*/* "$work"/root/usr/share/man/*/man*/*; do
	[ -f "$page" ] || continue
	pages=$((pages + 1))
	case $page in *.gz) ;; *) no "man page $(basename "$page") is not compressed" ;; esac
	if [ -n "$(MANWIDTH=80 man -l "$page" 2>/dev/null)" ]; then
		ok "man page $(basename "$page") renders"
	else
		no "man page $(basename "$page") does not render"
	fi
done
# The three pages, in English and in zh_CN.
if [ "$pages" -eq 6 ]; then ok "six man pages"; else no "$pages man pages, want 6"; fi
finish
