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
deb=$(find "$work/out" -maxdepth 1 -name 'disclosed_*.deb' 2>/dev/null | head -1)
if [ -n "$deb" ]; then
	ok "package built: $(basename "$deb")"
else
	no "no .deb produced"
fi
dpkg-deb -x "$deb" "$work/root" 2>/dev/null
for f in usr/bin/disclosed usr/bin/disclosed-report etc/disclosed/disclosed.conf \
	lib/systemd/system/disclosed.service lib/systemd/system/disclosed-report.service \
	lib/systemd/system/disclosed-report.timer usr/share/disclosed/sql/migrations/0001_core.sql \
	usr/share/disclosed/sql/report/section3.sql usr/share/man/man8/disclosed.8 \
	usr/share/man/man1/disclosed-report.1 usr/share/man/man5/disclosed.conf.5 \
	usr/share/doc/disclosed/README.md usr/share/doc/disclosed/events.md; do
	if [ -f "$work/root/$f" ]; then
		ok "/$f"
	else
		no "/$f missing"
	fi
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
if grep -qx /etc/disclosed/disclosed.conf "$work/ctl/conffiles"; then
	ok "the config is a conffile"
else
	no "the config is not a conffile"
fi
deps=$(dpkg-deb -f "$deb" Depends)
for lib in librdkafka libpq5 libjansson4 libinih1 libsystemd0 libmicrohttpd; do
	case $deps in *"$lib"*) ok "depends on $lib" ;; *) no "Depends lacks $lib: $deps" ;; esac
done
# Rendered by man(1), the way an operator reads them; a page that renders to
# nothing fails too.
if ! command -v man >/dev/null; then
	no "man is not installed: the pages cannot be checked"
fi
pages=0
for page in "$work"/root/usr/share/man/man*/*; do
	[ -f "$page" ] || continue
	pages=$((pages + 1))
	if [ -n "$(MANWIDTH=80 man -l "$page" 2>/dev/null)" ]; then
		ok "man page $(basename "$page") renders"
	else
		no "man page $(basename "$page") does not render"
	fi
done
if [ "$pages" -eq 3 ]; then ok "three man pages"; else no "$pages man pages, want 3"; fi
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
