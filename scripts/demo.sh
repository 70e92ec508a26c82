#!/usr/bin/env bash
# The main job end to end on a fresh Debian machine: installs what is
# missing, builds, starts a throwaway PostgreSQL and a single-node KRaft
# Kafka, produces the events that encode the 2020 facts of the seed report
# (../shared/seed), runs the daemon until it has caught up, stops it with
# SIGTERM, and prints what was stored and the 2020 overview computed from it.
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
cmake --build "$BUILD_DIR" -j2 --target disclosed evtool >/dev/null
DISCLOSED=$BUILD_DIR/disclosed
EVTOOL=$BUILD_DIR/tests/evtool

say "starting a throwaway PostgreSQL and Kafka"
harness_init
pg_start
kafka_start
W=$HARNESS_DIR/demo
mkdir -p "$W"
families="complaints receptions publications newmedia applications reviews stats"
# shellcheck disable=SC2086
"$EVTOOL" topics -b "$KAFKA_BOOTSTRAP" -p 3 $(printf 'disclosure.%s ' $families)
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
for f in $families; do
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

say "2020 overview of $AGENCY, computed from the stored events (sql/report/overview.sql)"
IFS='|' read -r total_pub work_news reception notices complaints transferred accepted rate posts views followers < <(
	pg_psql -tA -d disclosed -v agency="$AGENCY" -v year=2020 -v tz=Asia/Shanghai -f "$ROOT/sql/report/overview.sql")
cat <<TEXT

尧都区信访局 2020年政府信息公开工作年度报告（一、总体情况，节选）

  2020年，共主动公开信息${total_pub}条，其中，工作动态${work_news}条、领导接访信息${reception}条、
  通知公告${notices}条、网上投诉${complaints}件次,$([ "$transferred" = "$complaints" ] && echo 全部)转交有权处理责任单位处理，受理率达${rate}%；
  尧都阳光信访政务新媒体共计发布各类信息${posts}篇，关注度${views}次，粉丝数${followers}人。

TEXT
want="305|21|58|4|156|156|156|100|66|4585|733"
got="$total_pub|$work_news|$reception|$notices|$complaints|$transferred|$accepted|$rate|$posts|$views|$followers"
if [ "$got" = "$want" ]; then
	echo "demo: every overview figure equals the seed report's (305, 21, 58, 4, 156, 100%, 66, 4585, 733)"
else
	echo "demo: MISMATCH with the seed report: got $got, want $want" >&2
	exit 1
fi
