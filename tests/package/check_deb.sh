#!/usr/bin/env bash
# Builds the .deb with CPack, unpacks it into a scratch folder, and checks
# the layout an operator relies on. Prints "N passed, N failed".
set -uo pipefail
BUILD=${BUILD:-build}
pass=0 failed=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
no() { echo "FAIL: $*"; failed=$((failed + 1)); }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$BUILD" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; no "cpack failed"; }
deb=$(ls "$work"/out/disclosed_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] && ok "package built: $(basename "$deb")" || no "no .deb produced"
dpkg-deb -x "$deb" "$work/root" 2>/dev/null
for f in usr/bin/disclosed usr/bin/disclosed-report etc/disclosed/disclosed.conf \
	lib/systemd/system/disclosed.service lib/systemd/system/disclosed-report.service \
	lib/systemd/system/disclosed-report.timer usr/share/disclosed/sql/migrations/0001_core.sql \
	usr/share/disclosed/sql/report/section3.sql usr/share/man/man8/disclosed.8 \
	usr/share/man/man1/disclosed-report.1 usr/share/man/man5/disclosed.conf.5 \
	usr/share/doc/disclosed/README.md usr/share/doc/disclosed/events.md; do
	[ -f "$work/root/$f" ] && ok "/$f" || no "/$f missing"
done
[ -x "$work/root/usr/bin/disclosed" ] && "$work/root/usr/bin/disclosed" --version | grep -q '^disclosed ' &&
	ok "the packaged binary runs" || no "the packaged binary does not run"
"$work/root/usr/bin/disclosed" --check-config -c "$work/root/etc/disclosed/disclosed.conf" >/dev/null 2>&1 &&
	ok "the packaged example config is valid" || no "the packaged example config has errors"
dpkg-deb -e "$deb" "$work/ctl"
grep -qx /etc/disclosed/disclosed.conf "$work/ctl/conffiles" && ok "the config is a conffile" || no "the config is not a conffile"
# The agencies' texts templates (docs/report.md), kept across upgrades.
for f in name one five six; do
	[ -f "$work/root/etc/disclosed/texts/TEMPLATE/$f.txt" ] && grep -qx "/etc/disclosed/texts/TEMPLATE/$f.txt" "$work/ctl/conffiles" &&
		ok "texts template $f.txt shipped as a conffile" || no "texts template $f.txt missing or not a conffile"
done
deps=$(dpkg-deb -f "$deb" Depends)
for lib in librdkafka libpq5 libjansson4 libinih1 libsystemd0 libmicrohttpd; do
	case $deps in *"$lib"*) ok "depends on $lib" ;; *) no "Depends lacks $lib: $deps" ;; esac
done
for page in "$work"/root/usr/share/man/man*/*; do
	if command -v man >/dev/null && ! MANWIDTH=80 man -l "$page" >/dev/null 2>&1; then
		no "man page $(basename "$page") does not render"
	else
		ok "man page $(basename "$page") renders"
	fi
done
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
