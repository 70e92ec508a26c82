#!/usr/bin/env bash
# The event contract in docs/ must match the binary: every type's JSON
# Schema is byte for byte what `disclosed schema TYPE` prints, every spec
# example and every JSON example of docs/events.md decodes, and
# docs/events.md names every type and reason code.
#   BUILD=build tests/docs/check_docs.sh
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) ;;
*) if [ -d "$BUILD" ]; then BUILD=$(cd "$BUILD" && pwd); else BUILD=$ROOT/$BUILD; fi ;;
esac
DISCLOSED=$BUILD/disclosed
DOC=$ROOT/docs/events.md
SCHEMAS=$ROOT/docs/schemas
EXAMPLES=$ROOT/docs/examples.jsonl
PASSES=0
FAILS=0

pass() { echo "ok: $*"; PASSES=$((PASSES + 1)); }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
done_() { echo "$PASSES passed, $FAILS failed"; [ "$FAILS" -eq 0 ]; }

if [ ! -x "$DISCLOSED" ]; then
	fail "no binary at $DISCLOSED (set BUILD)"
	done_
	exit 1
fi
types=$("$DISCLOSED" types | awk '{ print $1 }')
ntypes=$(printf '%s\n' "$types" | grep -c .)
if [ "$ntypes" -gt 0 ]; then
	pass "disclosed types lists $ntypes types"
else
	fail "disclosed types lists nothing"
fi

# Schemas: one file per type, identical to the binary's output, and no file
# left over from a type that no longer exists.
for t in $types; do
	if [ ! -f "$SCHEMAS/$t.json" ]; then
		fail "docs/schemas/$t.json is missing"
	elif d=$(diff <("$DISCLOSED" schema "$t") "$SCHEMAS/$t.json"); then
		pass "docs/schemas/$t.json matches disclosed schema $t"
	else
		fail "docs/schemas/$t.json differs from disclosed schema $t:"
		printf '%s\n' "$d" | head -20
	fi
done
for f in "$SCHEMAS"/*.json; do
	[ -e "$f" ] || continue
	t=$(basename "$f" .json)
	grep -qxF "$t" <<<"$types" || fail "docs/schemas/$t.json is not a known type"
done

# Examples: all valid, exactly one per type.
if out=$("$DISCLOSED" validate "$EXAMPLES" 2>&1); then
	pass "disclosed validate docs/examples.jsonl exits 0"
else
	fail "disclosed validate docs/examples.jsonl:"
	printf '%s\n' "$out" | grep -v ': ok ' | head -20
fi
for t in $types; do
	n=$(printf '%s\n' "$out" | grep -cF ": ok $t -> ")
	if [ "$n" -eq 1 ]; then
		pass "one valid example of $t"
	else
		fail "$n valid examples of $t (want 1)"
	fi
done
lines=$(grep -cv -e '^[[:space:]]*$' -e '^#' "$EXAMPLES" 2>/dev/null || true)
if [ "${lines:-0}" -eq "$ntypes" ]; then
	pass "docs/examples.jsonl has $ntypes events"
else
	fail "docs/examples.jsonl has ${lines:-0} events (want $ntypes)"
fi

# Every JSON example in events.md (each type's, and each case of
# disclosure.event.corrected) is a valid event, as the daemon decodes it.
json_blocks=$(awk '/^```json/ { f = 1; b = ""; next } /^```/ { if (f) print b; f = 0; next } f { b = b $0 }' "$DOC")
nblocks=$(printf '%s\n' "$json_blocks" | grep -c .)
if ! compact=$(printf '%s\n' "$json_blocks" | jq -c . 2>&1); then
	fail "a JSON example in events.md is not JSON: $compact"
elif out=$(printf '%s\n' "$compact" | "$DISCLOSED" validate - 2>&1); then
	pass "the $nblocks JSON examples in events.md are valid events"
else
	fail "JSON examples in events.md that the decoder refuses:"
	printf '%s\n' "$out" | grep -v ': ok ' | head -20
fi
if [ "$nblocks" -gt "$ntypes" ]; then
	pass "events.md has $nblocks JSON examples for $ntypes types"
else
	fail "events.md has $nblocks JSON examples, fewer than the $ntypes types"
fi

# The prose names every type and every reason code (event.c's table; "ok"
# is not a reason to set an event aside).
for t in $types; do
	if grep -qF "$t" "$DOC"; then
		pass "events.md names $t"
	else
		fail "events.md does not name $t"
	fi
done
codes=$(sed -n 's/^[[:space:]]*\[REASON_[A-Z_]*\][[:space:]]*=[[:space:]]*"\([a-z_]*\)".*/\1/p' \
	"$ROOT/consumers/event.c" | grep -vx ok)
if [ -n "$codes" ]; then
	pass "found $(printf '%s\n' "$codes" | wc -l) reason codes in consumers/event.c"
else
	fail "no reason codes found in consumers/event.c"
fi
for c in $codes; do
	if grep -qwF "$c" "$DOC"; then
		pass "events.md names reason $c"
	else
		fail "events.md does not name reason $c"
	fi
done

done_
