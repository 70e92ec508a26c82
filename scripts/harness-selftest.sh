#!/usr/bin/env bash
# Self-test of scripts/lib/harness.sh: PostgreSQL and Kafka start, work,
# survive a restart (PostgreSQL: immediate, i.e. crash recovery) with their
# data, and are cleaned up. Prints "harness selftest: ok" and exits 0, or
# "harness selftest: FAILED: ..." and exits 1.
#
#   scripts/harness-selftest.sh            (HARNESS_KEEP=1 keeps the folder)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/harness.sh
source "$here/lib/harness.sh"

fail() {
	echo "harness selftest: FAILED: $*" >&2
	exit 1
}
# Any error that set -e catches also ends with a FAILED line.
trap 'echo "harness selftest: FAILED: command failed (line $LINENO): $BASH_COMMAND" >&2' ERR

t_start=$SECONDS
harness_init
deps_ensure

# Kafka's storage format and JVM start run in the background while
# PostgreSQL starts.
kafka_start --no-wait
pg_start
kafka_wait

# --- PostgreSQL
[[ "$(pg_psql -Atc 'select 1')" == 1 ]] || fail "select 1"
[[ "$(psql -X -Atc 'select current_database()' "$DISCLOSED_PG_CONNINFO")" == disclosed ]] ||
	fail "DISCLOSED_PG_CONNINFO does not reach database disclosed"
pg_psql -c 'create table selftest (id int primary key, v text)'
pg_psql -c "insert into selftest select g, 'row ' || g from generate_series(1, 10) g"
[[ "$(pg_psql -Atc 'show listen_addresses')" == 127.0.0.1 ]] || fail "listen_addresses"
[[ "$(pg_psql -Atc 'show fsync')" == on ]] || fail "fsync is not on"

# --- Kafka
kafka_create_topics 3 selftest.a selftest.b
topic=selftest.a
for i in $(seq 1 10); do printf 'key%d:message %d\n' "$i" "$i"; done |
	kcat -P -b "$KAFKA_BOOTSTRAP" -t "$topic" -K: -X acks=all
consume() { # TOPIC -> the messages, sorted
	timeout 30 kcat -C -b "$KAFKA_BOOTSTRAP" -t "$1" -o beginning -e -q -f '%k:%s\n' | sort -V
}
expected="$(for i in $(seq 1 10); do printf 'key%d:message %d\n' "$i" "$i"; done)"
got="$(consume "$topic")"
[[ "$got" == "$expected" ]] || fail "consumed before restart: $(wc -l <<<"$got") messages: $got"
# The keys went to more than one partition.
parts="$(timeout 30 kcat -C -b "$KAFKA_BOOTSTRAP" -t "$topic" -o beginning -e -q -f '%p\n' | sort -u | wc -l)"
((parts > 1)) || fail "all messages in one partition"
# A message larger than the 1 MB default goes through (message.max.bytes).
head -c 2000000 /dev/zero | tr '\0' x | kcat -P -b "$KAFKA_BOOTSTRAP" -t selftest.b -X message.max.bytes=16000000
# The broker logs through log4j2 into its file, not the slf4j NOP logger.
grep -q 'Kafka Server started' "$HARNESS_DIR/kafka/logs/server.log" || fail "no 'Kafka Server started' in server.log"
! grep -q 'NOP' "$HARNESS_DIR/kafka/logs/stdout.log" || fail "slf4j NOP logger"

# --- restarts (same ports: clients reconnect to the same addresses)
bootstrap_before=$KAFKA_BOOTSTRAP conninfo_before=$DISCLOSED_PG_CONNINFO
pg_restart immediate
# shellcheck disable=SC2119 # no --no-wait: wait for it
kafka_restart

[[ "$KAFKA_BOOTSTRAP" == "$bootstrap_before" ]] || fail "kafka moved: $bootstrap_before -> $KAFKA_BOOTSTRAP"
[[ "$DISCLOSED_PG_CONNINFO" == "$conninfo_before" ]] || fail "postgres moved: $conninfo_before -> $DISCLOSED_PG_CONNINFO"
[[ "$(pg_psql -Atc 'select 1')" == 1 ]] || fail "select 1 after restart"
[[ "$(pg_psql -Atc 'select count(*) from selftest')" == 10 ]] || fail "rows lost in the immediate restart"
got="$(consume "$topic")"
[[ "$got" == "$expected" ]] || fail "consumed after restart: $(wc -l <<<"$got") messages: $got"
kcat -b "$KAFKA_BOOTSTRAP" -L -t selftest.b | grep -qF 'topic "selftest.b" with 3 partitions' ||
	fail "topic selftest.b after restart"
# Still writable after the restart.
echo 'key11:message 11' | kcat -P -b "$KAFKA_BOOTSTRAP" -t "$topic" -K: -X acks=all
[[ "$(consume "$topic" | wc -l)" == 11 ]] || fail "produce after restart"

# --- cleanup: nothing of ours left running, the folder gone
dir=$HARNESS_DIR
harness_cleanup
trap - ERR
left="$(_h_dir_pids)"
[[ -z "$left" ]] || fail "processes left running: $left"
if [[ "${HARNESS_KEEP:-0}" != 1 && -e "$dir" ]]; then fail "$dir not removed"; fi
echo "harness: selftest took $((SECONDS - t_start)) s" >&2
echo "harness selftest: ok"
