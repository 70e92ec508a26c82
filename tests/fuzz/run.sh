#!/usr/bin/env bash
# Builds the libFuzzer harness with clang (ASan + UBSan) and runs it for a
# bounded time (FUZZ_SECONDS, default 60) from a seed corpus: the documented
# examples, the poison corpus and the crashes kept as regression cases.
# Any crash fails the run and is left in tests/fuzz/crashes/ to be fixed and
# kept.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_MAX=${FUZZ_SECONDS:-60}
if ! command -v clang >/dev/null; then
	echo "FAIL: clang is not installed (scripts/test.sh installs it)"
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$ROOT/tests/fuzz/regressions"
read -r -a pkg <<<"$(pkg-config --cflags --libs jansson libcrypto)"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$ROOT/lib" -I"$ROOT/consumers" -I"$ROOT/daemon" "$ROOT/tests/fuzz/fuzz_decode.c" \
	"$ROOT"/consumers/*.c "$ROOT/lib/buf.c" "$ROOT/lib/rfc3339.c" "$ROOT/lib/digest.c" \
	"$ROOT/daemon/batch.c" "$ROOT/daemon/agency_times.c" \
	"${pkg[@]}" -o "$work/fuzz_decode"
i=0
while IFS= read -r line; do
	printf '%s' "$line" >"$work/corpus/example-$i.json"
	i=$((i + 1))
done <"$ROOT/docs/examples.jsonl"
cp "$ROOT"/tests/fixtures/poison/*.json "$work/corpus/"
cp "$ROOT"/tests/fuzz/regressions/* "$work/corpus/" 2>/dev/null || true
printf 'ce_specversion=1.0\nce_id=b1\nce_source=/s\nce_type=disclosure.review.filed\nce_time=2021-01-01T00:00:00Z\nce_subject=x\nce_agency=a\n\n{"route":"reconsideration"}' >"$work/corpus/binary-mode"
# Regression cases first: each must run clean.
for f in "$ROOT"/tests/fuzz/regressions/*; do
	[ -f "$f" ] || continue
	if ! "$work/fuzz_decode" "$f" >/dev/null 2>&1; then
		echo "FAIL: regression $f crashes"
		exit 1
	fi
done
mkdir -p "$work/crashes"
if "$work/fuzz_decode" -max_total_time="$SECONDS_MAX" -rss_limit_mb=2048 -max_len=65536 \
	-artifact_prefix="$work/crashes/" -print_final_stats=1 "$work/corpus" >"$work/log" 2>&1; then
	grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$work/log" | tail -2
	echo "fuzz: no crash in ${SECONDS_MAX}s"
	echo "1 passed, 0 failed"
else
	mkdir -p "$ROOT/tests/fuzz/crashes"
	cp "$work"/crashes/* "$ROOT/tests/fuzz/crashes/" 2>/dev/null || true
	tail -40 "$work/log"
	echo "FAIL: the fuzzer found a crash (kept in tests/fuzz/crashes/)"
	echo "0 passed, 1 failed"
	exit 1
fi
