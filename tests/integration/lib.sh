# shellcheck shell=bash
# Shared by the integration tests (sourced). Each test gets its own
# database and its own topics, on the services that scripts/test.sh started
# (DISCLOSED_PG_CONNINFO and KAFKA_BOOTSTRAP set), or on services it starts
# itself when run alone:  BUILD=build tests/integration/it_x.sh
set -euo pipefail

IT_NAME=$(basename "$0" .sh)
IT_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$IT_ROOT/build}
DISCLOSED=$BUILD/disclosed
EVTOOL=$BUILD/tests/evtool
IT_FAILS=0
IT_PASSES=0

it_log() { printf '%s: %s\n' "$IT_NAME" "$*" >&2; }

it_fail() {
	it_log "FAIL: $*"
	IT_FAILS=$((IT_FAILS + 1))
}

it_pass() {
	it_log "ok: $*"
	IT_PASSES=$((IT_PASSES + 1))
}

# it_eq WHAT EXPECTED ACTUAL
it_eq() {
	if [ "$2" = "$3" ]; then it_pass "$1 = $3"; else it_fail "$1: expected '$2', got '$3'"; fi
}

# A test that checked nothing has not passed: a step that was skipped or
# produced no output must not read as success.
it_done() {
	if [ "$IT_PASSES" -eq 0 ]; then it_fail "no check passed: the test asserted nothing"; fi
	echo "$IT_PASSES passed, $IT_FAILS failed"
	[ "$IT_FAILS" -eq 0 ]
}

# Start the services unless the caller already did.
# shellcheck source=../../scripts/lib/harness.sh
. "$IT_ROOT/scripts/lib/harness.sh"

it_services() {
	if [ -n "${DISCLOSED_PG_CONNINFO:-}" ] && [ -n "${KAFKA_BOOTSTRAP:-}" ]; then
		IT_WORK=$(mktemp -d "${TMPDIR:-/tmp}/$IT_NAME.XXXXXX")
		trap 'it_stop_daemons; rm -rf "$IT_WORK"' EXIT
	else
		harness_init
		harness_on_cleanup it_stop_daemons
		kafka_start --no-wait
		pg_start
		kafka_wait
		IT_WORK=$HARNESS_DIR/work
		mkdir -p "$IT_WORK"
	fi
	chmod 755 "$IT_WORK"
	IT_DB=it_$(echo "$IT_NAME" | tr -c 'a-z0-9\n' '_')_$$
	IT_TOPICS=$IT_DB.
	it_admin_psql -c "CREATE DATABASE $IT_DB" >/dev/null
	IT_CONNINFO="$DISCLOSED_PG_CONNINFO dbname=$IT_DB"
	"$EVTOOL" topics -b "$KAFKA_BOOTSTRAP" -p "${IT_PARTITIONS:-4}" \
		"${IT_TOPICS}complaints" "${IT_TOPICS}receptions" "${IT_TOPICS}publications" \
		"${IT_TOPICS}newmedia" "${IT_TOPICS}applications" "${IT_TOPICS}reviews" "${IT_TOPICS}stats"
}

it_admin_psql() { psql -X -q -v ON_ERROR_STOP=1 "$DISCLOSED_PG_CONNINFO" "$@"; }
it_psql() { psql -X -q -tA -v ON_ERROR_STOP=1 "$IT_CONNINFO" "$@"; }

# it_spans WHEN: disclosed.case_span holds what the effective views say,
# disclosed.event_month what the stored events say and disclosed.span_month
# what the spans say (tests/fixtures/case-span-check.sql,
# event-month-check.sql, span-month-check.sql list each difference).
it_spans() {
	local diff check what source
	for check in "case-span:case spans:events" "event-month:event months:events" \
		"span-month:stock counts:spans"; do
		IFS=: read -r check what source <<<"$check"
		diff=$(it_psql -F ' ' -f "$IT_ROOT/tests/fixtures/$check-check.sql")
		if [ -z "$diff" ]; then
			it_pass "$what agree with the $source $1"
		else
			it_fail "$what $1: $diff"
		fi
	done
}

# it_read_only on|off: PostgreSQL refuses (or allows again) writes to the
# test's database, as a standby after a failover would. New sessions only:
# the daemons' are ended, so that they reconnect and meet it.
it_read_only() {
	it_admin_psql -c "ALTER DATABASE $IT_DB SET default_transaction_read_only = $1" \
		-c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$IT_DB'" >/dev/null
}

# it_config FILE [EXTRA INI LINES...]: a daemon config for this test.
it_config() {
	local f=$1
	shift
	{
		echo "[kafka]"
		echo "bootstrap.servers = $KAFKA_BOOTSTRAP"
		echo "[postgresql]"
		echo "conninfo = $IT_CONNINFO"
		echo "[topics]"
		echo "subscribe = ${IT_TOPICS}complaints, ${IT_TOPICS}receptions,"
		echo "    ${IT_TOPICS}publications, ${IT_TOPICS}newmedia,"
		echo "    ${IT_TOPICS}applications, ${IT_TOPICS}reviews, ${IT_TOPICS}stats"
		echo "[ingest]"
		echo "group_id = $IT_DB"
		for l in "$@"; do echo "$l"; done
	} >"$f"
}

IT_PIDS=()
# it_start_daemon CONF LOG: starts `disclosed run` in the background; its
# pid is in IT_PID (not printed: a $(...) subshell could not wait for it).
it_start_daemon() {
	"$DISCLOSED" -c "$1" run >>"$2" 2>&1 &
	IT_PID=$!
	IT_PIDS+=("$IT_PID")
}

it_stop_daemons() {
	local p
	for p in "${IT_PIDS[@]:-}"; do
		if [ -n "$p" ]; then kill -KILL "$p" 2>/dev/null || true; fi
	done
}

# it_stop_daemon PID: SIGTERM and require a clean exit 0 within 30 s.
it_stop_daemon() {
	local pid=$1 rc=0 _
	kill -TERM "$pid"
	for _ in $(seq 1 300); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		it_fail "daemon $pid did not stop within 30 s of SIGTERM"
		kill -KILL "$pid"
		return 1
	fi
	wait "$pid" || rc=$?
	it_eq "exit status after SIGTERM" 0 "$rc"
}

# it_wait_sql SQL EXPECTED TIMEOUT_S: poll until SQL returns EXPECTED.
it_wait_sql() {
	local got="" deadline=$((SECONDS + $3))
	while [ $SECONDS -lt $deadline ]; do
		got=$(it_psql -c "$1" 2>/dev/null || true)
		[ "$got" = "$2" ] && return 0
		sleep 0.5
	done
	it_log "timed out after $3 s waiting for [$1] = $2 (last: $got)"
	return 1
}

# it_wait_offsets N TIMEOUT_S: until the stored next offsets add up to N
# (every message of this test consumed).
it_wait_offsets() {
	it_wait_sql "SELECT coalesce(sum(next_offset),0) FROM disclosed.consumer_offset" "$1" "$2"
}

# it_wait_log FILE PATTERN TIMEOUT_S: until a line of FILE matches PATTERN
# (grep basic regex); 1, said, on timeout.
it_wait_log() {
	local deadline=$((SECONDS + $3))
	while [ $SECONDS -lt $deadline ]; do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	it_log "timed out after $3 s waiting for \"$2\" in $1"
	return 1
}

# it_other_ca: a self-signed CA unrelated to the harness's, for refusal
# tests; prints its certificate's path.
it_other_ca() {
	[ -f "$IT_WORK/other.crt" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 1 \
		-subj "/CN=other CA" -keyout "$IT_WORK/other.key" -out "$IT_WORK/other.crt" >/dev/null 2>&1
	echo "$IT_WORK/other.crt"
}

# it_check_expect FILE: every table holds exactly the expected rows, and no
# event is stored twice anywhere. An empty FILE or an empty list of kind
# tables is a failure, not a pass.
it_check_expect() {
	local t n got tables=0
	if [ ! -s "$1" ]; then it_fail "no expected row counts in $1"; fi
	while read -r t n; do
		got=$(it_psql -c "SELECT count(*) FROM disclosed.$t")
		it_eq "rows in $t" "$n" "$got"
	done <"$1"
	for t in $("$DISCLOSED" types | awk '{print $2}'); do
		got=$(it_psql -c "SELECT count(*) - count(DISTINCT (source, event_id)) FROM $t")
		it_eq "events stored twice in $t" 0 "$got"
		tables=$((tables + 1))
	done
	if [ "$tables" -eq 0 ]; then it_fail "disclosed types listed no table to check"; fi
}

# Sum of stored next offsets = every message produced to this test's topics.
it_offsets_sum() {
	it_psql -c "SELECT coalesce(sum(next_offset), 0) FROM disclosed.consumer_offset WHERE group_id = '$IT_DB'"
}

# it_ingest_lines FILE TOPIC: FILE's lines as messages to TOPIC (keyed by
# their subjects), then the daemon on $IT_WORK/d.conf (log d.log) until it
# has stored their offsets too, then stopped. A timeout is a failure.
it_ingest_lines() {
	local expect
	expect=$(($(it_offsets_sum) + $(grep -c . "$1")))
	"$EVTOOL" lines -b "$KAFKA_BOOTSTRAP" -t "$2" "$1" >/dev/null
	it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"
	it_wait_offsets "$expect" 60 || it_fail "not every message of $1 was stored"
	it_stop_daemon "$IT_PID"
}

# Produce N mixed events to this test's topics; sets IT_MSGS (messages sent),
# which the tests sourcing this file read. Returns 1 (which ends the test)
# when evtool reports no message sent, so that a count read from an empty
# or changed summary can never be compared with an empty one.
it_produce() {
	"$EVTOOL" produce -b "$KAFKA_BOOTSTRAP" --topic-prefix "$IT_TOPICS" "$@" \
		--expect "$IT_WORK/expect" >"$IT_WORK/produced"
	# shellcheck disable=SC2034 # read by the tests that source this file
	IT_MSGS=$(sed -n 's/.*messages=\([0-9]*\).*/\1/p' "$IT_WORK/produced")
	case $IT_MSGS in
	'' | *[!0-9]* | 0)
		it_fail "evtool produce reported no messages sent: $(cat "$IT_WORK/produced")"
		return 1
		;;
	esac
}

it_rows() { it_psql -c "SELECT count(*) FROM disclosed.raw_event"; }

# it_wait_rows_above N TIMEOUT_S
it_wait_rows_above() {
	local deadline=$((SECONDS + $2))
	while [ "$(it_rows)" -le "$1" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
	[ "$(it_rows)" -gt "$1" ]
}
