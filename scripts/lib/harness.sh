# shellcheck shell=bash
# scripts/lib/harness.sh: throwaway PostgreSQL and Kafka for the tests.
#
#   source scripts/lib/harness.sh
#   harness_init                 # temp folder + cleanup trap
#   deps_ensure                  # optional: Debian packages
#   pg_start                     # exports PGHOST PGPORT PGUSER PGDATABASE DISCLOSED_PG_CONNINFO
#   kafka_start                  # exports KAFKA_BOOTSTRAP, and for its SASL_SSL
#                                # listener KAFKA_SASL_BOOTSTRAP KAFKA_SCRAM_*
#                                # HARNESS_CA
#   kafka_create_topics 4 events dlq
#   ... tests ...                # everything is stopped and removed on exit
#
# All state lives in one folder, $HARNESS_DIR (a new mktemp -d, or the folder
# given in $HARNESS_DIR). Nothing listens anywhere but 127.0.0.1, on free ports
# picked at random, so several harnesses can run at once. A system PostgreSQL
# or Kafka is never used nor touched.
#
# Rules for callers:
#   * Call the functions from the main shell, not in $(...) or a pipeline:
#     they export variables and remember background pids.
#   * harness_init installs a trap on EXIT, INT and TERM that runs
#     harness_cleanup. Do not replace it with your own trap; register extra
#     cleanup with  harness_on_cleanup 'command ...'  instead (run in reverse
#     order, before the services are stopped).
#   * bash runs the trap only once the foreground command it waits for has
#     ended: run long commands with  harness_run CMD ...  (or "cmd & wait $!")
#     so that INT/TERM clean up at once. Background jobs of the shell still
#     running at cleanup are killed (TERM, then KILL after 2 s).
#   * HARNESS_DIR is exported. A child script may source this file and use
#     the functions (pg_psql, kafka_create_topics, ...) on the parent's
#     services, but must not call harness_init (it refuses: the folder
#     belongs to a live harness).
#   * Safe under set -euo pipefail. Functions return non-zero on failure after
#     printing why (with the tail of the service's log).
#
# Environment knobs:
#   HARNESS_DIR=/path   use this folder (created if needed; must be empty or
#                       an earlier harness folder, whose data is then reused)
#   HARNESS_KEEP=1      do not remove $HARNESS_DIR at cleanup; print where it is
#   HARNESS_PG_USER=u   when root, run PostgreSQL as u (default: nobody)
#   KAFKA_HEAP=512m     broker heap (-Xmx and -Xms)
#   DISCLOSED_KAFKA_VERSION=V|latest  the broker version (default: see
#                       deps_kafka_version in deps.sh)
#
# Layout of $HARNESS_DIR:
#   pg/data pg/sock pg/log pg/port           PostgreSQL cluster, socket, log file
#   kafka/server.properties kafka/data       broker config and log.dirs
#   kafka/logs/server.log                    broker log (log4j2); kafka/logs/stdout.log
#   kafka/pid kafka/ports kafka/tmp          broker pid, "PORT CPORT SASLPORT", java.io.tmpdir
#   kafka/tls kafka/scram.password           SASL_SSL listener's certificate, SCRAM password
#   ca/ca.crt                                the throwaway CA (HARNESS_CA); pg/tls
#   ports                                    ports this harness handed out

if [[ -n "${_DISCLOSED_HARNESS_SH:-}" ]]; then return 0; fi
_DISCLOSED_HARNESS_SH=1

# shellcheck source=scripts/lib/deps.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/deps.sh"

HARNESS_SCRIPTS_DIR="$DEPS_SCRIPTS_DIR"
_HARNESS_MARK=".disclosed-harness"
_HARNESS_CLEANUP_CMDS=()
_HARNESS_CLEANED=""
_HARNESS_OWN_DIR=""

_h_log() { printf 'harness: %s\n' "$*" >&2; }
# Logs an error; returns 0 (so that set -e lets the caller print more and
# then "return 1" itself).
_h_err() {
	_h_log "ERROR: $*"
}
# Milliseconds since the epoch, for step timings.
_h_ms() {
	local t="${EPOCHREALTIME//[!0-9]/}" # the decimal point may be a comma
	printf '%s\n' "$((t / 1000))"
}
_h_since() { # START_MS -> "1.2s"
	local d=$(($(_h_ms) - $1))
	printf '%d.%ds' $((d / 1000)) $((d % 1000 / 100))
}

_h_need_dir() {
	if [[ -z "${HARNESS_DIR:-}" || ! -f "$HARNESS_DIR/$_HARNESS_MARK" ]]; then
		_h_err "harness_init was not called"
		return 1
	fi
}

# ---------------------------------------------------------------- init, cleanup

harness_init() {
	if [[ -n "${HARNESS_DIR:-}" ]]; then
		case "$HARNESS_DIR" in
		/*) ;;
		*) HARNESS_DIR="$PWD/$HARNESS_DIR" ;;
		esac
		HARNESS_DIR="${HARNESS_DIR%/}"
		if [[ -z "$HARNESS_DIR" || "$HARNESS_DIR" == "$HOME" || "$HARNESS_DIR" == /tmp ]]; then
			_h_err "HARNESS_DIR=${HARNESS_DIR:-/} is not a folder the harness may own"
			return 1
		fi
		mkdir -p "$HARNESS_DIR" || return 1
		# The folder is removed at cleanup: refuse a non-empty folder that
		# is not an earlier harness folder.
		if [[ ! -f "$HARNESS_DIR/$_HARNESS_MARK" ]] &&
			[[ -n "$(ls -A "$HARNESS_DIR")" ]]; then
			_h_err "HARNESS_DIR=$HARNESS_DIR is not empty and not a harness folder"
			return 1
		fi
		# An exported HARNESS_DIR reaches child scripts: a child calling
		# harness_init would remove its parent's services at its exit.
		local owner
		owner="$(cat "$HARNESS_DIR/$_HARNESS_MARK" 2>/dev/null || true)"
		if [[ -n "$owner" && "$owner" != "$$" ]] && _h_alive "$owner"; then
			_h_err "HARNESS_DIR=$HARNESS_DIR belongs to the running harness of pid $owner: use its services without calling harness_init, or unset HARNESS_DIR for a new harness"
			return 1
		fi
	else
		HARNESS_DIR="$(mktemp -d "${TMPDIR:-/tmp}/disclosed-harness.XXXXXX")" || return 1
	fi
	export HARNESS_DIR
	_HARNESS_OWN_DIR=$HARNESS_DIR # what cleanup removes, whatever HARNESS_DIR becomes
	echo "$$" >"$HARNESS_DIR/$_HARNESS_MARK"
	# PostgreSQL runs as an unprivileged user when we are root: it must be
	# able to reach its folders.
	chmod 755 "$HARNESS_DIR"
	_HARNESS_CLEANED=""
	trap '_harness_on_exit' EXIT
	trap '_harness_on_signal INT 130' INT
	trap '_harness_on_signal TERM 143' TERM
	_h_log "dir $HARNESS_DIR"
}

# harness_on_cleanup 'CMD ...': run CMD (with eval) at cleanup.
harness_on_cleanup() {
	_HARNESS_CLEANUP_CMDS+=("$*")
}

# harness_run CMD ARGS...: run a long command so that a signal reaches the
# cleanup trap at once. (bash runs a trap only after the foreground command
# it is waiting for has ended; "cmd & wait" is interrupted instead, and the
# cleanup then kills cmd as one of the shell's background jobs.)
harness_run() {
	"$@" &
	wait $!
}

_harness_on_exit() {
	local rc=$?
	harness_cleanup
	exit "$rc"
}

_harness_on_signal() {
	_h_log "caught SIG$1"
	harness_cleanup
	trap - EXIT
	exit "$2"
}

# Pids (other than our own shell and its ancestors) whose command line
# mentions $HARNESS_DIR/ (postgres -D ..., java ... server.properties, a
# daemon given a config file there), and their descendants.
_h_dir_pids() {
	local -A skip=()
	local p=$BASHPID
	while [[ -n "$p" && "$p" != 0 && "$p" != 1 ]]; do
		skip[$p]=1
		p="$(awk '/^PPid:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)"
	done
	local f pid ppid
	local -A hit=()
	# One grep over all command lines (NUL-separated, hence -a).
	while IFS= read -r f; do
		pid="${f#/proc/}"
		pid="${pid%/cmdline}"
		[[ -n "${skip[$pid]:-}" ]] && continue
		hit[$pid]=1
	done < <(grep -lasF -- "$HARNESS_DIR/" /proc/[0-9]*/cmdline 2>/dev/null || true)
	if ((${#hit[@]})); then
		# Add descendants: repeat over the (pid, ppid) list until stable.
		local -a pp
		# "/proc/PID/status:PPid:<tab>PPID"; grep -s skips processes gone meanwhile
		mapfile -t pp < <(grep -s '^PPid:' /proc/[0-9]*/status || true)
		local grew=1 line
		while [[ -n "$grew" ]]; do
			grew=""
			for line in "${pp[@]}"; do
				pid="${line#/proc/}" pid="${pid%%/*}" ppid="${line##*[[:space:]]}"
				if [[ -n "${hit[$ppid]:-}" && -z "${hit[$pid]:-}" && -z "${skip[$pid]:-}" ]]; then
					hit[$pid]=1 grew=1
				fi
			done
		done
	fi
	for pid in "${!hit[@]}"; do printf '%s\n' "$pid"; done
	return 0
}

harness_cleanup() {
	# Idempotent; never fails; keeps going whatever half-started.
	if [[ -n "$_HARNESS_CLEANED" || -z "$_HARNESS_OWN_DIR" ]]; then return 0; fi
	_HARNESS_CLEANED=1
	HARNESS_DIR=$_HARNESS_OWN_DIR
	local was_e=""
	case $- in *e*) was_e=1 ;; esac
	set +e
	local i
	for ((i = ${#_HARNESS_CLEANUP_CMDS[@]} - 1; i >= 0; i--)); do
		eval "${_HARNESS_CLEANUP_CMDS[$i]}" || _h_log "cleanup command failed: ${_HARNESS_CLEANUP_CMDS[$i]}"
	done
	# The shell's own background jobs (harness_run, the tests' "cmd &").
	local -a jobpids
	mapfile -t jobpids < <(jobs -p)
	if ((${#jobpids[@]})); then
		kill -TERM "${jobpids[@]}" 2>/dev/null
		for i in $(seq 20); do
			_h_any_alive "${jobpids[@]}" || break
			sleep 0.1
		done
		kill -KILL "${jobpids[@]}" 2>/dev/null
	fi
	if [[ -d "$HARNESS_DIR" ]]; then
		[[ -f "$HARNESS_DIR/kafka/pid" ]] && _kafka_kill KILL 0
		[[ -d "$HARNESS_DIR/pg/data" ]] && pg_stop immediate 2>/dev/null
		# Anything else still running from our folder.
		local -a pids
		mapfile -t pids < <(_h_dir_pids)
		if ((${#pids[@]})); then
			_h_log "killing leftover processes: ${pids[*]}"
			kill -KILL "${pids[@]}" 2>/dev/null
			for i in $(seq 50); do
				_h_any_alive "${pids[@]}" || break
				sleep 0.1
			done
		fi
		if [[ "${HARNESS_KEEP:-0}" == 1 ]]; then
			_h_log "kept $HARNESS_DIR (HARNESS_KEEP=1)"
		elif [[ -f "$HARNESS_DIR/$_HARNESS_MARK" ]]; then
			rm -rf "$HARNESS_DIR"
			_h_log "cleaned up"
		fi
	fi
	[[ -n "$was_e" ]] && set -e
	return 0
}

# --------------------------------------------------------------------- ports

# _h_port_busy PORT [STATES]: is local TCP port PORT in use? STATES "a"
# (default): in any state, TIME_WAIT included, for picking new ports; "l":
# listening, for keeping our own ports on a restart (the TIME_WAIT
# connections a stopped server leaves do not stop it from listening again:
# PostgreSQL and Java set SO_REUSEADDR). Without ss: can we connect?
_h_port_busy() {
	if command -v ss >/dev/null 2>&1; then
		[[ -n "$(ss -Ht"${2:-a}"n "( sport = :$1 )" 2>/dev/null)" ]]
	else
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
	fi
}

# Prints a free TCP port in 20000-60000, not handed out before by this harness.
harness_free_port() {
	local p i used="${HARNESS_DIR:+$HARNESS_DIR/ports}"
	for ((i = 0; i < 200; i++)); do
		p=$((((RANDOM << 15) | RANDOM) % 40001 + 20000))
		if [[ -n "$used" && -f "$used" ]] && grep -qx "$p" "$used"; then continue; fi
		_h_port_busy "$p" && continue
		if [[ -n "$used" && -d "$HARNESS_DIR" ]]; then echo "$p" >>"$used"; fi
		printf '%s\n' "$p"
		return 0
	done
	_h_err "no free port found"
	return 1
}

# ----------------------------------------------------------------- PostgreSQL

# Run a command as the PostgreSQL owner (nobody when we are root).
_pg_as() {
	if [[ "$(id -u)" == 0 ]]; then
		runuser -u "${HARNESS_PG_USER:-nobody}" -- "$@"
	else
		"$@"
	fi
}

_pg_export() {
	local port
	port="$(cat "$HARNESS_DIR/pg/port")"
	export PGHOST="$HARNESS_DIR/pg/sock"
	export PGPORT="$port"
	export PGUSER=postgres
	export PGDATABASE=disclosed
	export DISCLOSED_PG_CONNINFO="host=$PGHOST port=$PGPORT user=postgres dbname=disclosed"
}

_pg_log_tail() {
	_h_log "last lines of $HARNESS_DIR/pg/log:"
	tail -n 25 "$HARNESS_DIR/pg/log" >&2 2>/dev/null || true
}

# Start the server on the port in pg/port and wait until it accepts queries.
_pg_launch() {
	local bindir port sock=$HARNESS_DIR/pg/sock t0
	bindir="$(deps_pg_bindir)" || return 1
	port="$(cat "$HARNESS_DIR/pg/port")"
	t0=$(_h_ms)
	# cd: the PostgreSQL user may not be able to enter the caller's cwd.
	if ! (cd "$HARNESS_DIR/pg" && _pg_as "$bindir/pg_ctl" -D "$HARNESS_DIR/pg/data" \
		-l "$HARNESS_DIR/pg/log" -w -t 30 -s start >"$HARNESS_DIR/pg/pg_ctl.log" 2>&1); then
		_h_err "PostgreSQL did not start: $(tr '\n' ' ' <"$HARNESS_DIR/pg/pg_ctl.log")"
		_pg_log_tail
		return 1
	fi
	local i
	for ((i = 0; i < 300; i++)); do
		if "$bindir/pg_isready" -q -h "$sock" -p "$port" -U postgres -d postgres; then
			_h_log "postgres up on 127.0.0.1:$port, socket $sock ($(_h_since "$t0"))"
			return 0
		fi
		sleep 0.1
	done
	_h_err "PostgreSQL not ready after 30 s"
	_pg_log_tail
	return 1
}

pg_start() {
	_h_need_dir || return 1
	local bindir pg=$HARNESS_DIR/pg port t0
	bindir="$(deps_pg_bindir)" || return 1
	t0=$(_h_ms)
	mkdir -p "$pg/sock"
	if [[ "$(id -u)" == 0 ]]; then
		chown -R "${HARNESS_PG_USER:-nobody}:" "$pg" || return 1
		if ! runuser -u "${HARNESS_PG_USER:-nobody}" -- test -w "$pg"; then
			_h_err "${HARNESS_PG_USER:-nobody} cannot write $pg: a parent folder of $HARNESS_DIR is not traversable"
			return 1
		fi
	fi
	# Port: keep the one of an earlier start of this folder if still free.
	port=""
	if [[ -f "$pg/port" ]]; then
		port="$(cat "$pg/port")"
		if _h_port_busy "$port" l; then port=""; fi
	fi
	if [[ -z "$port" ]]; then port="$(harness_free_port)" || return 1; fi
	if ((${#pg} + 30 > 107)); then
		_h_err "socket path $pg/sock/.s.PGSQL.$port is too long for a unix socket: use a shorter HARNESS_DIR"
		return 1
	fi
	# shellcheck disable=SC2016 # $1 and $2 are sh's
	_pg_as sh -c 'echo "$1" >"$2"' sh "$port" "$pg/port"

	if [[ ! -f "$pg/data/PG_VERSION" ]]; then
		local locale=C
		if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=C.UTF-8; fi
		_h_log "initdb ($bindir, locale $locale)"
		if ! (cd "$pg" && _pg_as "$bindir/initdb" -D "$pg/data" -A trust -U postgres \
			-E UTF8 --locale="$locale" >"$pg/initdb.log" 2>&1); then
			_h_err "initdb failed; last lines of $pg/initdb.log:"
			tail -n 20 "$pg/initdb.log" >&2
			return 1
		fi
		cat >>"$pg/data/postgresql.conf" <<-EOF

			# --- disclosed test harness ---
			include_if_exists = 'harness.conf'
		EOF
	fi
	# Settings that depend on this run (port, folder) are rewritten each start.
	# shellcheck disable=SC2016
	_pg_as sh -c 'cat >"$1"' sh "$pg/data/harness.conf" <<-EOF
		listen_addresses = '127.0.0.1'
		port = $port
		unix_socket_directories = '$pg/sock'
		max_connections = 50
		shared_buffers = 128MB
		# fsync stays on: benchmarks measure real durability.
		fsync = on
		logging_collector = off
		log_line_prefix = '%m [%p] %q%u@%d '
		log_connections = off
		include_if_exists = 'tls.conf'
	EOF
	_pg_launch || return 1
	_pg_export
	if [[ -z "$(pg_psql -d postgres -Atc "select 1 from pg_database where datname = 'disclosed'")" ]]; then
		pg_psql -d postgres -c 'create database disclosed' || return 1
	fi
	_h_log "postgres ready: $DISCLOSED_PG_CONNINFO ($(_h_since "$t0"))"
}

# pg_stop [fast|immediate|smart]
pg_stop() {
	_h_need_dir || return 1
	local mode=${1:-fast} bindir data=$HARNESS_DIR/pg/data
	[[ -f "$data/postmaster.pid" ]] || return 0
	bindir="$(deps_pg_bindir)" || return 1
	if ! (cd "$HARNESS_DIR/pg" && _pg_as "$bindir/pg_ctl" -D "$data" -m "$mode" -w -t 30 -s stop >/dev/null 2>&1); then
		# Still there? Kill the postmaster; its children follow it.
		local pid
		pid="$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)"
		if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
			_h_log "pg_ctl stop failed, killing postmaster $pid"
			kill -KILL "$pid" 2>/dev/null || true
			local i
			for ((i = 0; i < 50; i++)); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
		fi
	fi
	_h_log "postgres stopped ($mode)"
}

# pg_restart [fast|immediate]: same port, socket and data.
pg_restart() {
	_h_need_dir || return 1
	local t0
	t0=$(_h_ms)
	pg_stop "${1:-fast}" || return 1
	_pg_launch || return 1
	_pg_export
	_h_log "postgres restarted ($(_h_since "$t0"))"
}

# harness_ca: the harness's throwaway certificate authority (made once),
# which signs the PostgreSQL and Kafka server certificates. Exports
# HARNESS_CA, the CA certificate clients verify against.
harness_ca() {
	_h_need_dir || return 1
	local d=$HARNESS_DIR/ca
	if [[ ! -f "$d/ca.crt" ]]; then
		mkdir -p "$d"
		if ! openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=disclosed test CA" \
			-keyout "$d/ca.key" -out "$d/ca.crt.tmp" >/dev/null 2>&1 ||
			! mv "$d/ca.crt.tmp" "$d/ca.crt"; then
			_h_err "generating the test CA failed"
			return 1
		fi
		chmod 644 "$d/ca.crt"
	fi
	export HARNESS_CA=$d/ca.crt
}

# _h_server_cert DIR: DIR/server.key and DIR/server.crt for 127.0.0.1 and
# localhost, signed by the harness CA (kept if already there).
_h_server_cert() {
	local d=$1
	[[ -f "$d/server.crt" ]] && return 0
	harness_ca || return 1
	mkdir -p "$d"
	(
		cd "$d" || exit 1
		openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key \
			-out server.csr >/dev/null 2>&1 &&
			printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >san.ext &&
			openssl x509 -req -in server.csr -CA "$HARNESS_CA" -CAkey "${HARNESS_CA%.crt}.key" \
				-CAcreateserial -CAserial "$d/ca.srl" -days 2 -extfile san.ext \
				-out server.crt >/dev/null 2>&1
	) || { _h_err "generating a server certificate in $d failed"; return 1; }
	chmod 600 "$d/server.key"
}

# pg_enable_tls: a server certificate for 127.0.0.1 and localhost from the
# harness CA (HARNESS_CA: what clients verify against), TLS switched on,
# PostgreSQL restarted.
pg_enable_tls() {
	_h_need_dir || return 1
	local d=$HARNESS_DIR/pg/tls
	_h_server_cert "$d" || return 1
	[[ "$(id -u)" == 0 ]] && chown -R "${HARNESS_PG_USER:-nobody}:" "$d"
	# shellcheck disable=SC2016
	_pg_as sh -c 'printf "%s\n" "ssl = on" "ssl_cert_file = '"'"'$1/server.crt'"'"'" "ssl_key_file = '"'"'$1/server.key'"'"'" >"$2"' \
		sh "$d" "$HARNESS_DIR/pg/data/tls.conf"
	pg_restart fast >/dev/null
	_h_log "postgres: TLS on, CA $HARNESS_CA"
}

# pg_psql ARGS...: psql on the harness database (ON_ERROR_STOP, no psqlrc).
pg_psql() {
	_h_need_dir || return 1
	local bindir port
	bindir="$(deps_pg_bindir)" || return 1
	port="$(cat "$HARNESS_DIR/pg/port")" || return 1
	PGHOST="$HARNESS_DIR/pg/sock" PGPORT="$port" PGUSER=postgres PGDATABASE=disclosed \
		"$bindir/psql" -X -q -v ON_ERROR_STOP=1 "$@"
}

# ---------------------------------------------------------------------- Kafka

_kafka_pid() { cat "$HARNESS_DIR/kafka/pid" 2>/dev/null || true; }

# Alive and not a zombie?
_h_alive() {
	local st
	[[ -n "$1" ]] || return 1
	st="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
	[[ -n "$st" && "$st" != Z && "$st" != X ]]
}

_h_any_alive() {
	local p
	for p in "$@"; do
		_h_alive "$p" && return 0
	done
	return 1
}

# _kafka_kill SIGNAL GRACE_SECONDS: send SIGNAL, wait, then SIGKILL.
_kafka_kill() {
	local sig=$1 grace=$2 pid i
	pid="$(_kafka_pid)"
	if _h_alive "$pid"; then
		kill -"$sig" "$pid" 2>/dev/null || true
		for ((i = 0; i < grace * 10; i++)); do
			_h_alive "$pid" || break
			sleep 0.1
		done
		if _h_alive "$pid"; then
			((grace > 0)) && _h_log "kafka did not stop in ${grace} s, SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			for ((i = 0; i < 50; i++)); do
				_h_alive "$pid" || break
				sleep 0.1
			done
		fi
		wait "$pid" 2>/dev/null || true
	fi
	rm -f "$HARNESS_DIR/kafka/pid"
}

_kafka_log_tail() {
	local f
	for f in "$HARNESS_DIR/kafka/logs/stdout.log" "$HARNESS_DIR/kafka/logs/server.log"; do
		if [[ -s "$f" ]]; then
			_h_log "last lines of $f:"
			tail -n 25 "$f" >&2 || true
		fi
	done
}

# Java options for the short-lived tools (StorageTool, TopicCommand): start fast.
_kafka_tool() {
	local lib=$1
	shift
	java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
		-Djava.io.tmpdir="$HARNESS_DIR/kafka/tmp" \
		-Dlog4j2.configurationFile="$HARNESS_SCRIPTS_DIR/kafka/log4j2.properties" \
		-Dkafka.logs.dir="$HARNESS_DIR/kafka/logs" -Ddisclosed.kafka.logfile=tools.log \
		-cp "$lib/*" "$@"
}

# A random Kafka Uuid: 16 random bytes, url-safe base64 without padding
# (what StorageTool random-uuid prints, without starting a JVM for it).
_kafka_uuid() {
	local u
	while :; do
		u="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
		# Kafka's own generator avoids a leading '-' (looks like an option).
		[[ "$u" != -* ]] && break
	done
	printf '%s\n' "$u"
}

# kafka_start [--no-wait]: start the single-node KRaft broker (first time:
# format the storage). --no-wait returns once it is launched; call kafka_wait
# before using it (lets the caller start PostgreSQL meanwhile).
kafka_start() {
	_h_need_dir || return 1
	local nowait=""
	[[ "${1:-}" == --no-wait ]] && nowait=1
	local k=$HARNESS_DIR/kafka lib port cport
	if _h_alive "$(_kafka_pid)"; then
		_h_err "kafka already running (pid $(_kafka_pid))"
		return 1
	fi
	lib="$(deps_kafka_jars)" || return 1
	mkdir -p "$k/data" "$k/logs" "$k/tmp"
	_KAFKA_T0=$(_h_ms)

	local sport=""
	port="" cport=""
	if [[ -f "$k/ports" ]]; then
		read -r port cport sport <"$k/ports"
		if [[ -z "$sport" ]] || _h_port_busy "$port" l || _h_port_busy "$cport" l ||
			_h_port_busy "$sport" l; then
			_h_log "kafka: earlier ports $port/$cport/$sport are taken, picking new ones"
			port="" cport="" sport=""
		fi
	fi
	if [[ -z "$port" ]]; then
		port="$(harness_free_port)" || return 1
		cport="$(harness_free_port)" || return 1
		sport="$(harness_free_port)" || return 1
		echo "$port $cport $sport" >"$k/ports"
	fi
	# The SASL_SSL listener: a server certificate from the harness CA (PEM
	# keystore: key and chain in one file) and a SCRAM user made at format.
	_h_server_cert "$k/tls" || return 1
	cat "$k/tls/server.key" "$k/tls/server.crt" >"$k/tls/keystore.pem"
	chmod 600 "$k/tls/keystore.pem"
	[[ -f "$k/scram.password" ]] || head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$k/scram.password"
	_kafka_export

	cat >"$k/server.properties" <<-EOF
		# written by scripts/lib/harness.sh: single-node KRaft broker+controller
		process.roles=broker,controller
		node.id=1
		controller.quorum.voters=1@127.0.0.1:$cport
		listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport,SASL_SSL://127.0.0.1:$sport
		advertised.listeners=PLAINTEXT://127.0.0.1:$port,SASL_SSL://127.0.0.1:$sport
		controller.listener.names=CONTROLLER
		listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL
		listener.name.sasl_ssl.ssl.keystore.type=PEM
		listener.name.sasl_ssl.ssl.keystore.location=$k/tls/keystore.pem
		listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-512
		listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
		inter.broker.listener.name=PLAINTEXT
		log.dirs=$k/data
		num.partitions=4
		offsets.topic.replication.factor=1
		offsets.topic.num.partitions=4
		transaction.state.log.replication.factor=1
		transaction.state.log.min.isr=1
		transaction.state.log.num.partitions=4
		share.coordinator.state.topic.replication.factor=1
		share.coordinator.state.topic.min.isr=1
		group.initial.rebalance.delay.ms=0
		auto.create.topics.enable=false
		# the tests send a 10 MB poison message
		message.max.bytes=16777216
		replica.fetch.max.bytes=16777216
		socket.request.max.bytes=104857600
	EOF

	local format=""
	[[ -f "$k/data/meta.properties" ]] || format=1
	if [[ -n "$format" ]]; then
		_h_log "kafka: formatting storage and starting broker on 127.0.0.1:$port (controller :$cport)"
	else
		_h_log "kafka: starting broker on 127.0.0.1:$port (controller :$cport), existing data"
	fi

	: >"$k/logs/stdout.log"
	# One background subshell formats (first time) and then execs the broker,
	# so $! is the broker's pid and the format overlaps the caller's work.
	(
		if [[ -n "$format" ]]; then
			if ! _kafka_tool "$lib" kafka.tools.StorageTool format -t "$(_kafka_uuid)" \
				-c "$k/server.properties" \
				--add-scram "SCRAM-SHA-512=[name=$KAFKA_SCRAM_USER,password=$KAFKA_SCRAM_PASSWORD]" \
				>"$k/logs/format.log" 2>&1; then
				echo "harness: StorageTool format failed:" >>"$k/logs/stdout.log"
				cat "$k/logs/format.log" >>"$k/logs/stdout.log"
				exit 1
			fi
		fi
		exec java -Xmx"${KAFKA_HEAP:-512m}" -Xms"${KAFKA_HEAP:-512m}" -XX:+UseG1GC \
			-XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
			-XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
			-Djava.io.tmpdir="$k/tmp" \
			-Dlog4j2.configurationFile="$HARNESS_SCRIPTS_DIR/kafka/log4j2.properties" \
			-Dkafka.logs.dir="$k/logs" \
			-cp "$lib/*" kafka.Kafka "$k/server.properties"
	) </dev/null >>"$k/logs/stdout.log" 2>&1 &
	echo $! >"$k/pid"
	# Out of the job table: no "Killed" notice from bash when it dies
	# (bash still reaps it; liveness is checked through /proc).
	disown $!
	[[ -n "$nowait" ]] && return 0
	kafka_wait
}

# Exports what clients need: the two listeners, the SCRAM user, the CA.
_kafka_export() {
	local k=$HARNESS_DIR/kafka port sport
	read -r port _ sport <"$k/ports"
	export KAFKA_BOOTSTRAP="127.0.0.1:$port" KAFKA_SASL_BOOTSTRAP="127.0.0.1:$sport"
	export KAFKA_SCRAM_MECHANISM=SCRAM-SHA-512 KAFKA_SCRAM_USER=disclosed
	KAFKA_SCRAM_PASSWORD="$(cat "$k/scram.password")"
	export KAFKA_SCRAM_PASSWORD HARNESS_CA=$HARNESS_DIR/ca/ca.crt
	KAFKA_VERSION="$(deps_kafka_version)"
	export KAFKA_VERSION
}

# kafka_wait: wait (60 s at most) until the broker answers metadata requests.
kafka_wait() {
	_h_need_dir || return 1
	local k=$HARNESS_DIR/kafka pid port i
	if [[ ! -f "$k/ports" ]]; then
		_h_err "kafka_wait: call kafka_start first"
		return 1
	fi
	pid="$(_kafka_pid)"
	read -r port _ <"$k/ports"
	_kafka_export
	for ((i = 0; i < 600; i++)); do
		if ! _h_alive "$pid"; then
			_h_err "kafka exited during startup"
			_kafka_log_tail
			return 1
		fi
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null &&
			kcat -b "$KAFKA_BOOTSTRAP" -L -m 5 2>/dev/null | grep -q '^ 1 brokers:'; then
			if grep -q 'NOP' "$k/logs/stdout.log" 2>/dev/null; then
				_h_log "WARNING: slf4j fell back to the NOP logger: see $k/logs/stdout.log"
			fi
			_h_log "kafka $KAFKA_VERSION ready: KAFKA_BOOTSTRAP=$KAFKA_BOOTSTRAP, SASL_SSL+$KAFKA_SCRAM_MECHANISM on $KAFKA_SASL_BOOTSTRAP ($(_h_since "${_KAFKA_T0:-$(_h_ms)}"))"
			return 0
		fi
		sleep 0.1
	done
	_h_err "kafka not ready after 60 s"
	_kafka_log_tail
	return 1
}

# kafka_stop: SIGTERM (controlled shutdown), SIGKILL after 30 s.
kafka_stop() {
	_h_need_dir || return 1
	local t0
	t0=$(_h_ms)
	_kafka_kill TERM 30
	_h_log "kafka stopped ($(_h_since "$t0"))"
}

# kafka_restart [--no-wait]: stop, then start on the same ports with the same data.
kafka_restart() {
	_h_need_dir || return 1
	local opt=${1:-}
	kafka_stop || return 1
	if [[ "$opt" == --no-wait ]]; then kafka_start --no-wait; else kafka_start; fi
}

# kafka_create_topics PARTITIONS TOPIC...: create the topics (replication 1)
# if they do not exist, then check each has PARTITIONS partitions.
kafka_create_topics() {
	_h_need_dir || return 1
	if (($# < 2)); then
		_h_err "usage: kafka_create_topics PARTITIONS TOPIC..."
		return 1
	fi
	local parts=$1
	shift
	local lib t0 t i fail=""
	lib="$(deps_kafka_jars)" || return 1
	t0=$(_h_ms)
	: "${KAFKA_BOOTSTRAP:?kafka_start first}"
	# TopicCommand creates one topic per JVM: run them side by side.
	local -a pids=()
	for t in "$@"; do
		_kafka_tool "$lib" org.apache.kafka.tools.TopicCommand \
			--bootstrap-server "$KAFKA_BOOTSTRAP" --create --if-not-exists \
			--topic "$t" --partitions "$parts" --replication-factor 1 \
			>"$HARNESS_DIR/kafka/logs/topic-$t.log" 2>&1 &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do
		if ! wait "${pids[$i]}"; then
			t="${*:i+1:1}"
			_h_log "creating topic $t failed:"
			cat "$HARNESS_DIR/kafka/logs/topic-$t.log" >&2
			fail=1
		fi
	done
	[[ -z "$fail" ]] || return 1
	# Check with a client that the metadata shows them (bounded, 15 s).
	local meta ok
	for ((i = 0; i < 150; i++)); do
		meta="$(kcat -b "$KAFKA_BOOTSTRAP" -L -m 5 2>/dev/null || true)"
		ok=1
		for t in "$@"; do
			grep -qF "topic \"$t\" with $parts partitions:" <<<"$meta" || {
				ok=""
				break
			}
		done
		if [[ -n "$ok" ]]; then
			_h_log "topics created ($parts partitions): $* ($(_h_since "$t0"))"
			return 0
		fi
		sleep 0.1
	done
	_h_err "topics not visible with $parts partitions: $*"
	grep -F 'topic "' <<<"$meta" >&2 || true
	return 1
}
