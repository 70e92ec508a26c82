#!/usr/bin/env bash
# Static checks, each of which fails the run on any finding:
#   ShellCheck  every shell script (*.sh, and the bash scripts without an
#               extension in bench/, scripts/, .ci/), with .shellcheckrc;
#   cppcheck    the C code and its tests (warning, style, performance,
#               portability, unused functions), scripts/lint/disclosed.cfg
#               for the jansson macros;
#   gcc -fanalyzer  a build of the programs with the analyzer, warnings as
#               errors, in its own folder (LINT_BUILD_DIR, kept between
#               runs so that only changed files are analyzed again).
# A finding is fixed, or suppressed on its line with the reason beside it.
#
#   scripts/lint.sh            all three
#   scripts/lint.sh shell|cppcheck|analyzer
#
# Environment: LINT_BUILD_DIR (default build-lint), JOBS (default 2).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LINT_BUILD_DIR=${LINT_BUILD_DIR:-$ROOT/build-lint}
JOBS=${JOBS:-2}
cd "$ROOT"

log() { printf 'lint: %s\n' "$*" >&2; }

# The tools, and what the analyzer build needs, on a fresh Debian machine.
# shellcheck source=lib/deps.sh
. "$ROOT/scripts/lib/deps.sh"
DEPS_EXTRA_PACKAGES="${DEPS_EXTRA_PACKAGES:-} shellcheck cppcheck" deps_ensure

shell_scripts() {
	find . -path './build*' -prune -o -name '*.sh' -type f -print
	local f
	for f in bench/* scripts/* .ci/*; do
		if [ -f "$f" ] && [ "${f%.sh}" = "$f" ]; then
			case $(head -1 "$f") in '#!'*bash*) printf '%s\n' "./$f" ;; esac
		fi
	done
}

lint_shell() {
	local -a files
	mapfile -t files < <(shell_scripts | LC_ALL=C sort)
	log "shellcheck $(shellcheck --version | sed -n 's/^version: //p'): ${#files[@]} scripts"
	shellcheck -f gcc "${files[@]}"
}

lint_cppcheck() {
	log "$(cppcheck --version)"
	# missingIncludeSystem: the system headers are not given to it (the
	# libraries come from --library); variableScope: a style preference the
	# code does not follow (declarations at the top of a block are fine).
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
		--enable=warning,style,performance,portability,unusedFunction \
		--library=posix --library=gnu --library=openssl \
		--library=scripts/lint/disclosed.cfg \
		--suppress=missingIncludeSystem --suppress=variableScope \
		-I lib -I consumers -I daemon -I report \
		lib consumers daemon report tests/unit tests/tools tests/fuzz
}

lint_analyzer() {
	log "$(gcc --version | head -1) -fanalyzer in $LINT_BUILD_DIR"
	mkdir -p "$LINT_BUILD_DIR"
	cmake -S . -B "$LINT_BUILD_DIR" -DDISCLOSED_ANALYZER=ON -DDISCLOSED_WERROR=ON \
		-DBUILD_TESTING=OFF >"$LINT_BUILD_DIR/cmake.log" 2>&1 ||
		{ cat "$LINT_BUILD_DIR/cmake.log" >&2; return 1; }
	# The analyzer's paths go to the terminal; only the build's status counts.
	cmake --build "$LINT_BUILD_DIR" -j"$JOBS" 2>&1 |
		{ grep -vE '^\[ *[0-9]+%\]|^g?make' >&2 || true; }
}

checks=("$@")
[ ${#checks[@]} -gt 0 ] || checks=(shell cppcheck analyzer)
failed=()
for c in "${checks[@]}"; do
	case $c in
	shell | cppcheck | analyzer) ;;
	*)
		log "unknown check \"$c\" (shell, cppcheck, analyzer)"
		exit 2
		;;
	esac
	if "lint_$c"; then log "$c: clean"; else failed+=("$c"); fi
done
if [ ${#failed[@]} -gt 0 ]; then
	log "FAIL: findings from ${failed[*]}"
	exit 1
fi
log "all clean: ${checks[*]}"
