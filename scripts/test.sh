#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs what is missing
# (apt-get when root; the Kafka broker's jars with Maven, cached), builds
# with warnings as errors, starts a throwaway PostgreSQL and a single-node
# KRaft Kafka on loopback, runs every test through ctest, and cleans up.
#
#   scripts/test.sh [CTEST ARGS...]     e.g. scripts/test.sh -L unit
#   scripts/test.sh --help              usage, labels and settings; nothing else
#
# Environment: BUILD_DIR (default build), JOBS (default 2),
# DISCLOSED_SANITIZE=1 for an ASan+UBSan build.
set -euo pipefail

usage() {
	cat <<'USAGE'
Usage: scripts/test.sh [CTEST ARGS...]
       scripts/test.sh -h | --help

The whole test suite on a fresh Debian 12 or 13 machine: installs the Debian
packages that are missing (apt-get when root, else prints the line to run),
builds in BUILD_DIR with warnings as errors, starts a throwaway PostgreSQL
and a single-node Kafka broker (KRaft) on loopback, runs ctest with CTEST
ARGS, and stops and deletes everything afterwards, also on failure.

CTEST ARGS (passed to ctest unchanged), for example:
  -L unit               one label
  -R it_report          tests whose name matches a regular expression
  -LE 'fault|fuzz'      everything but these labels
  -N                    list the tests without running them

Labels (the last column: what a label needs besides the build):
  unit          cmocka tests of each module                      nothing
  docs          the documented event contract matches the code   nothing
  cli           command line, config errors, units' hardening    nothing
  package       the .deb: lintian, layout, hardening; install,   lintian; root for
                upgrade, remove, purge in a throwaway root       the throwaway root
  fuzz          libFuzzer on the decoder, 60 s                   clang
  integration   end to end on PostgreSQL and Kafka               the services
  fault         PostgreSQL and Kafka restarted under load        services of its own
                                                                 (it restarts them)

Tests without services also run straight from a build folder, without this
script:  cd build && ctest -L unit   (README, Running one test).

Environment:
  BUILD_DIR                build folder (default: build in the repository)
  JOBS                     parallel build jobs (default 2)
  DISCLOSED_SANITIZE=1     AddressSanitizer + UBSan build (use its own BUILD_DIR)
  DISCLOSED_KAFKA_VERSION  Kafka broker version, or latest (default: the one
                           that suits the librdkafka built against)
  DISCLOSED_CACHE          cache of the broker's jars (default ~/.cache/disclosed)
  DEPS_EXTRA_PACKAGES      more Debian packages to install first
USAGE
}
case "${1:-}" in
-h | --help)
	usage
	exit 0
	;;
esac

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
JOBS=${JOBS:-2}
. "$ROOT/scripts/lib/harness.sh"

# The report's HTML is checked in a real browser (CJK fonts for its layout)
# and its printed PDF with poppler-utils, the formats compared by a python3
# script; the decoder is fuzzed with clang's libFuzzer; one integration run is
# under valgrind memcheck; the package is checked with lintian, and installed
# in a throwaway root whose system user systemd-sysusers makes; the Chinese
# man pages are checked with groff; promtool (prometheus) checks the alert
# rules; the producers' examples run with python3-confluent-kafka.
export DEPS_EXTRA_PACKAGES="${DEPS_EXTRA_PACKAGES:-} chromium fonts-noto-cjk poppler-utils python3 clang valgrind lintian systemd groff-base man-db"
DEPS_EXTRA_PACKAGES+=" prometheus python3-yaml python3-confluent-kafka jq"
# The report's Word and PDF documents are read back with these (it_report_docs).
DEPS_EXTRA_PACKAGES+=" python3-docx libreoffice-writer-nogui"
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
	# The font libraries' process-lifetime caches (the report's PDF) are not
	# our leaks; tests/lsan.supp names them and nothing else.
	export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
fi
harness_init
kafka_start --no-wait # the broker starts while PostgreSQL does
pg_start
kafka_wait
# The tests share these services, each with its own database and topics.
export DISCLOSED_PG_CONNINFO KAFKA_BOOTSTRAP
cd "$BUILD_DIR"
harness_run ctest --output-on-failure --timeout 900 "$@"
