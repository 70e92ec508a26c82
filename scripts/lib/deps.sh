# shellcheck shell=bash
# scripts/lib/deps.sh: what the build and the test services need, and where it is.
#
# Source it (it is sourced by scripts/lib/harness.sh); it sets no shell options
# and is safe under `set -euo pipefail`. Functions:
#
#   deps_ensure       check the Debian packages (dpkg), install the missing ones
#                     with apt-get when root, else list them and return 1.
#   deps_pg_bindir    print the newest /usr/lib/postgresql/*/bin that has initdb.
#   deps_kafka_jars   resolve the Kafka broker jars with Maven from
#                     scripts/kafka/pom.xml into a cache folder (once), print it.
#
# Environment:
#   DISCLOSED_CACHE       cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/disclosed)
#   DISCLOSED_PG_BINDIR   use this PostgreSQL bin directory instead of searching
#   DEPS_EXTRA_PACKAGES   more Debian packages for deps_ensure to check (space separated)
#
# Progress goes to stderr as one line per step, prefixed "harness:"; stdout
# carries only the printed results (directories).

if [[ -n "${_DISCLOSED_DEPS_SH:-}" ]]; then return 0; fi
_DISCLOSED_DEPS_SH=1

_DEPS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEPS_SCRIPTS_DIR="$(cd "$_DEPS_DIR/.." && pwd)"
DEPS_KAFKA_POM="$DEPS_SCRIPTS_DIR/kafka/pom.xml"

DEPS_PACKAGES=(
	build-essential cmake pkg-config
	librdkafka-dev libpq-dev libjansson-dev libcmocka-dev libinih-dev
	libsystemd-dev libmicrohttpd-dev libssl-dev libzip-dev libcairo2-dev libpango1.0-dev
	fonts-noto-cjk
	kcat postgresql postgresql-client default-jre-headless maven socat curl openssl
)

_deps_log() { printf 'harness: %s\n' "$*" >&2; }

deps_cache_dir() {
	printf '%s\n' "${DISCLOSED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/disclosed}"
}

# Prints the packages (of the arguments) that dpkg does not list as installed.
_deps_missing() {
	local -A ok=()
	local name status
	# One dpkg-query for all: fast. Unknown packages make it print to stderr
	# and exit 1; they simply do not appear as installed.
	while IFS=$'\t' read -r name status; do
		name="${name%%:*}" # drop :amd64
		if [[ "$status" == installed ]]; then ok["$name"]=1; fi
	done < <(dpkg-query -W -f='${Package}\t${db:Status-Status}\n' "$@" 2>/dev/null || true)
	local p
	for p in "$@"; do
		if [[ -z "${ok[$p]:-}" ]]; then printf '%s\n' "$p"; fi
	done
}

deps_ensure() {
	local -a want=("${DEPS_PACKAGES[@]}")
	if [[ -n "${DEPS_EXTRA_PACKAGES:-}" ]]; then
		local -a extra
		read -r -a extra <<<"$DEPS_EXTRA_PACKAGES"
		want+=("${extra[@]}")
	fi
	if ! command -v dpkg-query >/dev/null 2>&1; then
		_deps_log "deps: dpkg-query not found: not a Debian system? need: ${want[*]}"
		return 1
	fi
	local -a missing
	mapfile -t missing < <(_deps_missing "${want[@]}")
	if ((${#missing[@]} == 0)); then
		_deps_log "deps: all ${#want[@]} packages present"
		return 0
	fi
	if [[ "$(id -u)" != 0 ]]; then
		_deps_log "deps: missing Debian packages: ${missing[*]}"
		_deps_log "deps: install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}"
		return 1
	fi

	local cache log lock
	cache="$(deps_cache_dir)"
	mkdir -p "$cache/logs"
	log="$cache/logs/apt-$(date +%Y%m%d-%H%M%S)-$$.log"
	lock="$cache/apt.lock"
	_deps_log "deps: missing: ${missing[*]} (apt log: $log)"
	(
		# Two harnesses may start at once: one installs, the other waits
		# and then finds nothing left to do.
		exec 9>"$lock"
		flock 9
		mapfile -t missing < <(_deps_missing "${missing[@]}")
		if ((${#missing[@]} == 0)); then exit 0; fi
		export DEBIAN_FRONTEND=noninteractive
		_deps_log "deps: apt-get update"
		if ! apt-get -q -o DPkg::Lock::Timeout=300 update >>"$log" 2>&1; then
			_deps_log "deps: apt-get update failed; last lines of $log:"
			tail -n 20 "$log" >&2
			exit 1
		fi
		# Installing the server must not start a system cluster on port
		# 5432: the harness makes its own, and 5432 may belong to someone.
		if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
			mkdir -p /etc/postgresql-common
			echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
		fi
		_deps_log "deps: apt-get install ${missing[*]}"
		if ! apt-get -q -y -o DPkg::Lock::Timeout=300 \
			-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
			install --no-install-recommends \
			"${missing[@]}" >>"$log" 2>&1; then
			_deps_log "deps: apt-get install failed; last lines of $log:"
			tail -n 20 "$log" >&2
			exit 1
		fi
	) || return 1
	mapfile -t missing < <(_deps_missing "${want[@]}")
	if ((${#missing[@]} != 0)); then
		_deps_log "deps: still missing after install: ${missing[*]} (see $log)"
		return 1
	fi
	_deps_log "deps: installed; all ${#want[@]} packages present"
}

# The newest PostgreSQL server bin directory (Debian 12: 15, Debian 13: 17).
deps_pg_bindir() {
	if [[ -n "${DISCLOSED_PG_BINDIR:-}" ]]; then
		if [[ -x "$DISCLOSED_PG_BINDIR/initdb" ]]; then
			printf '%s\n' "$DISCLOSED_PG_BINDIR"
			return 0
		fi
		_deps_log "deps: DISCLOSED_PG_BINDIR=$DISCLOSED_PG_BINDIR has no initdb"
		return 1
	fi
	local d best=""
	# sort -V so that 9.6 < 10 < 15 < 17
	while IFS= read -r d; do
		if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then best="$d"; fi
	done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
	if [[ -z "$best" ]]; then
		_deps_log "deps: no /usr/lib/postgresql/*/bin/initdb: is the postgresql package installed? (deps_ensure)"
		return 1
	fi
	printf '%s\n' "$best"
}

# _deps_pom_prop NAME: a <NAME> property of scripts/kafka/pom.xml.
_deps_pom_prop() {
	local v
	v="$(sed -n "s:.*<$1>[[:space:]]*\([^<[:space:]]*\)[[:space:]]*</$1>.*:\1:p" "$DEPS_KAFKA_POM" | head -n 1)"
	if [[ -z "$v" ]]; then
		_deps_log "deps: no <$1> in $DEPS_KAFKA_POM"
		return 1
	fi
	printf '%s\n' "$v"
}

# The Kafka broker version: DISCLOSED_KAFKA_VERSION if set ("latest": the
# pom's <kafka.version>); otherwise the
# pom's <kafka.version>, unless the librdkafka we build against is older
# than 2.6.1, whose SCRAM Kafka 4.x brokers reject: then the pom's
# <kafka.scram-compat.version>, so that SASL/SCRAM is really exercised.
deps_kafka_version() {
	case "${DISCLOSED_KAFKA_VERSION:-}" in
	"") ;;
	latest) _deps_pom_prop kafka.version; return ;;
	*) printf '%s\n' "$DISCLOSED_KAFKA_VERSION"; return 0 ;;
	esac
	local rd
	rd="$(pkg-config --modversion rdkafka 2>/dev/null || true)"
	if [[ -n "$rd" ]] && ! deps_version_ge "$rd" 2.6.1; then
		_deps_pom_prop kafka.scram-compat.version
	else
		_deps_pom_prop kafka.version
	fi
}

# deps_version_ge A B: true when dotted version A >= B.
deps_version_ge() {
	[[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" == "$2" ]]
}

# Prints the folder of the Kafka jars (for java -cp "$DIR/*"), resolving them
# with Maven first when the folder is missing or was filled from another pom.
deps_kafka_jars() {
	local version cache base lib marker want log
	version="$(deps_kafka_version)" || return 1
	cache="$(deps_cache_dir)"
	base="$cache/kafka-$version"
	lib="$base/lib"
	marker="$lib/.complete"
	# The marker holds the pom's checksum: editing the pom re-resolves.
	want="$(sha256sum <"$DEPS_KAFKA_POM" | cut -d' ' -f1)"
	if [[ -f "$marker" && "$(cat "$marker")" == "$want" ]]; then
		printf '%s\n' "$lib"
		return 0
	fi
	mkdir -p "$base" || return 1
	(
		exec 9>"$base/.lock"
		flock 9
		# Someone else may have finished while we waited for the lock.
		if [[ -f "$marker" && "$(cat "$marker")" == "$want" ]]; then exit 0; fi
		if ! command -v mvn >/dev/null 2>&1; then
			_deps_log "deps: mvn not found (deps_ensure installs maven)"
			exit 1
		fi
		local tmp="$base/lib.tmp.$$"
		log="$base/mvn.log"
		rm -rf "$tmp"
		_deps_log "deps: resolving Kafka $version jars with Maven into $lib (log: $log)"
		local t0=$SECONDS
		if ! mvn -q -B -ntp -Dstyle.color=never -f "$DEPS_KAFKA_POM" \
			-Dkafka.version="$version" dependency:copy-dependencies -DoutputDirectory="$tmp" \
			-DincludeScope=runtime >"$log" 2>&1; then
			_deps_log "deps: Maven failed; last lines of $log:"
			tail -n 30 "$log" >&2
			rm -rf "$tmp"
			exit 1
		fi
		if ! compgen -G "$tmp/kafka_2.13-$version.jar" >/dev/null; then
			_deps_log "deps: Maven ran but $tmp has no kafka_2.13-$version.jar"
			exit 1
		fi
		printf '%s\n' "$want" >"$tmp/.complete"
		# Replace the old folder; a running JVM keeps its open jars.
		rm -rf "$lib.old"
		if [[ -e "$lib" ]]; then mv "$lib" "$lib.old"; fi
		mv "$tmp" "$lib"
		rm -rf "$lib.old"
		_deps_log "deps: Kafka jars ready ($(find "$lib" -name '*.jar' | wc -l) jars, $((SECONDS - t0)) s)"
	) || return 1
	printf '%s\n' "$lib"
}
