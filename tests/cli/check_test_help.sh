#!/usr/bin/env bash
# scripts/test.sh --help prints its usage and exits 0 before it installs,
# builds or starts anything: the build folder it would use stays absent.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
pass=0 failed=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
no() { echo "FAIL: $*"; failed=$((failed + 1)); }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for flag in --help -h; do
	rc=0
	BUILD_DIR=$work/build timeout 10 bash "$ROOT/scripts/test.sh" "$flag" \
		>"$work/out" 2>"$work/err" || rc=$?
	if [ "$rc" -eq 0 ]; then ok "test.sh $flag exits 0"; else no "test.sh $flag exits $rc"; fi
	if grep -q '^Usage: scripts/test.sh' "$work/out"; then
		ok "test.sh $flag prints the usage"
	else
		no "test.sh $flag prints no usage: $(head -3 "$work/out")"
	fi
	for label in unit docs cli package fuzz integration fault; do
		grep -qE "^  $label +" "$work/out" || no "test.sh $flag does not describe the label $label"
	done
	if [ -e "$work/build" ] || [ -s "$work/err" ]; then
		no "test.sh $flag did more than print: $(head -3 "$work/err")"
	else
		ok "test.sh $flag builds and installs nothing"
	fi
done
# Every label the suite uses is described.
labels=$(grep -ho 'LABELS [a-z]*' "$ROOT"/tests/CMakeLists.txt "$ROOT"/tests/*/CMakeLists.txt | awk '{ print $2 }' | sort -u)
for label in $labels; do
	if grep -qE "^  $label +" "$work/out"; then
		ok "label $label is described"
	else
		no "label $label is not in --help"
	fi
done
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
