#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs what is missing
# (apt-get when root; the Kafka broker's jars with Maven, cached), builds
# with warnings as errors, starts a throwaway PostgreSQL and a single-node
# KRaft Kafka on loopback, runs every test through ctest, and cleans up.
#
#   scripts/test.sh [CTEST ARGS...]     e.g. scripts/test.sh -L unit
#
# Environment: BUILD_DIR (default build), JOBS (default 2),
# DISCLOSED_SANITIZE=1 for an ASan+UBSan build.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
JOBS=${JOBS:-2}
. "$ROOT/scripts/lib/harness.sh"

# The report's HTML is checked in a real browser (CJK fonts for its layout);
# the decoder is fuzzed with clang's libFuzzer; one integration run is under
# valgrind memcheck.
export DEPS_EXTRA_PACKAGES="${DEPS_EXTRA_PACKAGES:-} chromium fonts-noto-cjk clang valgrind"
deps_ensure
# libFuzzer's runtime comes in a package named after clang's major version.
clang_major=$(clang -dumpversion 2>/dev/null | cut -d. -f1)
if [ -n "$clang_major" ]; then
	DEPS_EXTRA_PACKAGES="libclang-rt-$clang_major-dev" deps_ensure ||
		echo "test: libclang-rt-$clang_major-dev missing: the fuzz test will fail" >&2
fi
echo "test: building in $BUILD_DIR" >&2
mkdir -p "$BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -DDISCLOSED_WERROR=ON \
	-DDISCLOSED_SANITIZE="${DISCLOSED_SANITIZE:-0}" >"$BUILD_DIR/cmake.log" 2>&1 ||
	{ cat "$BUILD_DIR/cmake.log" >&2; exit 1; }
# The filter may print nothing (grep's status 1), so only the build's status
# decides: pipefail makes a failed build fail the pipeline.
if ! cmake --build "$BUILD_DIR" -j"$JOBS" 2>&1 |
	{ grep -vE '^\[ *[0-9]+%\]|^gmake' >&2 || true; }; then
	echo "test: build failed" >&2
	exit 1
fi

if [ "${DISCLOSED_SANITIZE:-0}" = 1 ]; then
	# Any sanitizer report fails the run: the daemon's exit status is checked.
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi
harness_init
kafka_start --no-wait # the broker starts while PostgreSQL does
pg_start
kafka_wait
# The tests share these services, each with its own database and topics.
export DISCLOSED_PG_CONNINFO KAFKA_BOOTSTRAP
cd "$BUILD_DIR"
harness_run ctest --output-on-failure --timeout 900 "$@"
