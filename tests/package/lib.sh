# shellcheck shell=bash
# Shared by the package tests: pass/fail counters and the .deb built with
# CPack from $BUILD. Source it after setting BUILD and work (a scratch folder).
pass=0 failed=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
no() { echo "FAIL: $*"; failed=$((failed + 1)); }
finish() {
	echo "$pass passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# build_deb: sets deb to the path of the package CPack makes from $BUILD.
build_deb() {
	: "${BUILD:?}" "${work:?}"
	deb=
	if ! (cd "$BUILD" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1); then
		cat "$work/cpack.log"
		no "cpack failed"
		return 1
	fi
	deb=$(find "$work/out" -maxdepth 1 -name 'disclosed_*.deb' | head -1)
	if [ -z "$deb" ]; then
		no "no .deb produced"
		return 1
	fi
	ok "package built: $(basename "$deb")"
}
