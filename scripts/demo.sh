#!/usr/bin/env bash
# The main job end to end on a fresh Debian machine: installs what is
# missing, builds, starts a throwaway PostgreSQL and a single-node KRaft
# Kafka, produces the events that encode the 2020 facts of the seed report
# (../shared/seed), runs the daemon until it has caught up, stops it with
# SIGTERM, prints what was stored and the 2020 overview computed from it, and
# writes the seed's 2020 report in every format, with the seed's own texts,
# into demo-output/ (or $DEMO_OUTPUT).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
FIXTURE=$ROOT/tests/fixtures/seed-2020/events.jsonl
AGENCY=yaodu-xinfang
. "$ROOT/scripts/lib/harness.sh"

say() { printf '\n== %s\n' "$*"; }

deps_ensure
say "building"
cmake -S "$ROOT" -B "$BUILD_DIR" >/dev/null
cmake --build "$BUILD_DIR" -j2 --target disclosed disclosed-report evtool >/dev/null
DISCLOSED=$BUILD_DIR/disclosed
EVTOOL=$BUILD_DIR/tests/evtool

say "starting a throwaway PostgreSQL and Kafka"
harness_init
kafka_start --no-wait # the broker starts while PostgreSQL does
pg_start
kafka_wait
W=$HARNESS_DIR/demo
mkdir -p "$W"
families=(complaints receptions publications newmedia applications reviews stats)
"$EVTOOL" topics -b "$KAFKA_BOOTSTRAP" -p 3 "${families[@]/#/disclosure.}"
cat >"$W/disclosed.conf" <<CONF
[kafka]
bootstrap.servers = $KAFKA_BOOTSTRAP
[postgresql]
conninfo = $DISCLOSED_PG_CONNINFO
[ingest]
group_id = demo
CONF
"$DISCLOSED" -c "$W/disclosed.conf" migrate

say "producing $(wc -l <"$FIXTURE") events (the seed's 2020 facts) to Kafka"
for f in "${families[@]}"; do
	case $f in
	complaints) pat=complaint ;; receptions) pat=reception ;; publications) pat=publication ;;
	newmedia) pat=newmedia ;; applications) pat=application ;; reviews) pat=review ;;
	stats) pat=stats ;;
	esac
	grep "\"type\":\"disclosure\.$pat\." "$FIXTURE" >"$W/$f.jsonl" || true
	[ -s "$W/$f.jsonl" ] && "$EVTOOL" lines -b "$KAFKA_BOOTSTRAP" -t "disclosure.$f" "$W/$f.jsonl" >/dev/null
done
total=$(wc -l <"$FIXTURE")

say "running disclosed until it has caught up"
"$DISCLOSED" -c "$W/disclosed.conf" run 2>"$W/daemon.log" &
pid=$!
q() { pg_psql -tA -d disclosed -c "$1"; }
for _ in $(seq 1 600); do
	[ "$(q "SELECT coalesce(sum(next_offset), 0) FROM disclosed.consumer_offset")" -ge "$total" ] && break
	kill -0 "$pid" 2>/dev/null || { cat "$W/daemon.log"; exit 1; }
	sleep 0.1
done
kill -TERM "$pid"
wait "$pid"
grep -E "notice|warn|error" "$W/daemon.log" | sed 's/^/  /'

say "stored rows per table"
pg_psql -d disclosed -c "SELECT type, count(*) AS events FROM disclosed.raw_event GROUP BY type ORDER BY type"
echo "quarantined: $(q "SELECT count(*) FROM disclosed.quarantine")"

say "the 2020 annual report of $AGENCY, computed from the stored events"
"$BUILD_DIR/disclosed-report" -c "$W/disclosed.conf" --year 2020 --agency "$AGENCY" \
	--texts "$ROOT/tests/fixtures/seed-2020/texts" --format text
"$BUILD_DIR/disclosed-report" -c "$W/disclosed.conf" --year 2020 --agency "$AGENCY" \
	--texts "$ROOT/tests/fixtures/seed-2020/texts" --format csv --no-snapshot 2>/dev/null |
	tr -d '\r' >"$W/report.csv"
got=$(awk -F, '$5 == "overview" { printf "%s ", $8 }' "$W/report.csv")
want="305 21 58 4 156 156 156 66 4585 733 100% "
echo
if [ "$got" = "$want" ] && awk -F, 'NR > 1 && $4 ~ /^[234]$/ && $8 != "0" { bad = 1 } END { exit bad }' "$W/report.csv"; then
	echo "demo: every figure equals the seed report's (305, 21, 58, 4, 156, 100%, 66, 4585, 733; all table cells 0)"
else
	echo "demo: MISMATCH with the seed report: got $got, want $want" >&2
	exit 1
fi

# The seed's report as an office publishes it, in every format, with the
# seed's own texts (its name, section 一's paragraphs, 五, 六) and its date.
OUT=${DEMO_OUTPUT:-$ROOT/demo-output}
say "the seed's report in every format, into $OUT"
mkdir -p "$OUT"
"$BUILD_DIR/disclosed-report" -c "$W/disclosed.conf" --year 2020 --agency "$AGENCY" \
	--texts "$ROOT/tests/fixtures/seed-2020/texts" --require-texts --date 2021-01-29 \
	--no-snapshot --format all -o "$OUT"
"$BUILD_DIR/disclosed-report" -c "$W/disclosed.conf" --year 2020 --agency "$AGENCY" \
	--texts "$ROOT/tests/fixtures/seed-2020/texts" --require-texts --date 2021-01-29 \
	--no-snapshot --format csv --csv-layout tables -o "$OUT/$AGENCY-2020.tables.csv"
ls -l "$OUT"
echo "demo: the report is in $OUT (open $AGENCY-2020.html in a browser and print it: A4)"
