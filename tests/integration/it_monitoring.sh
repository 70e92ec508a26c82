#!/usr/bin/env bash
# The monitoring kit in docs/monitoring: the alert rules pass promtool (and
# their unit tests), and every metric the rules and the Grafana dashboard
# use is in /metrics of a running daemon, with values that match the rows:
# the latest event time per agency and per partition, build info, process
# metrics; the partition times survive a restart (read from PostgreSQL).
# shellcheck disable=SC2015 # it_pass returns 0: A && it_pass || it_fail is if/else
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
MON=$IT_ROOT/docs/monitoring
it_services

if ! command -v promtool >/dev/null; then
	it_fail "promtool not found (Debian package prometheus)"
else
	if promtool check rules "$MON/alerts.yml" >"$IT_WORK/promtool" 2>&1; then
		it_pass "promtool check rules alerts.yml"
	else
		it_fail "promtool check rules: $(cat "$IT_WORK/promtool")"
	fi
	if (cd "$MON" && promtool test rules alerts_test.yml alerts_test_daily.yml) >"$IT_WORK/promtool" 2>&1; then
		it_pass "promtool test rules"
	else
		it_fail "promtool test rules: $(cat "$IT_WORK/promtool")"
	fi
fi
python3 -m json.tool "$MON/grafana-dashboard.json" >/dev/null &&
	it_pass "the dashboard is JSON" || it_fail "the dashboard is not JSON"
it_eq "the dashboard's uid" disclosed-ingest \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["uid"])' "$MON/grafana-dashboard.json")"

port=$(harness_free_port)
it_config "$IT_WORK/d.conf" "[metrics]" "listen = 127.0.0.1:$port"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
it_produce -n 400 --prefix mon --bad-every 50
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"
pid=$IT_PID
it_wait_offsets "$IT_MSGS" 60 || it_fail "not every message was consumed"
sleep 1.5 # one housekeeping round after the last commit
curl -sf "http://127.0.0.1:$port/metrics" >"$IT_WORK/metrics" || it_fail "GET /metrics"

# Every metric the rules and the dashboard use is served.
python3 "$IT_ROOT/tests/tools/metric_names.py" "$MON/alerts.yml" \
	"$MON/grafana-dashboard.json" >"$IT_WORK/used"
used=$(wc -l <"$IT_WORK/used")
[ "$used" -ge 20 ] && it_pass "$used metric names used by the rules and the dashboard" ||
	it_fail "only $used metric names found in the rules and the dashboard: the extraction is broken"
unserved=""
while read -r name; do
	grep -q "^${name}[{ ]" "$IT_WORK/metrics" || unserved="$unserved $name"
done <"$IT_WORK/used"
it_eq "metrics used but not served" "" "$unserved"

# Build info: the versions `disclosed --version` prints.
read -r _ version < <("$DISCLOSED" --version | head -n 1)
libs=$("$DISCLOSED" --version | sed -n 's/^librdkafka \([^,]*\), libpq \([^,]*\),.*/librdkafka="\1",libpq="\2"/p')
it_eq "disclosed_build_info" "disclosed_build_info{version=\"$version\",$libs} 1" \
	"$(grep '^disclosed_build_info' "$IT_WORK/metrics")"

# Latest event time per agency = the latest stored row of each agency.
it_psql -c "SELECT agency, to_char(extract(epoch FROM max(event_time)), 'FM9999999999.000000')
	FROM disclosed.raw_event GROUP BY agency ORDER BY agency" | tr '|' ' ' >"$IT_WORK/agency.sql"
sed -n 's/^disclosed_agency_latest_event_time_seconds{agency="\([^"]*\)"} \(.*\)$/\1 \2/p' \
	"$IT_WORK/metrics" | sort >"$IT_WORK/agency.metrics"
[ -s "$IT_WORK/agency.sql" ] || it_fail "no rows stored"
it_eq "latest event time per agency, /metrics vs rows" "$(cat "$IT_WORK/agency.sql")" \
	"$(cat "$IT_WORK/agency.metrics")"

# Latest event time per partition = the stored ingest watermark.
partitions_sql() {
	it_psql -c "SELECT topic, kafka_partition,
		to_char(extract(epoch FROM max_event_time), 'FM9999999999.000000')
		FROM disclosed.consumer_offset WHERE max_event_time IS NOT NULL
		ORDER BY topic, kafka_partition" | tr '|' ' '
}
partitions_metrics() {
	sed -n 's/^disclosed_partition_latest_event_time_seconds{topic="\([^"]*\)",partition="\([0-9]*\)"} \(.*\)$/\1 \2 \3/p' \
		"$1" | sort -k1,1 -k2,2n
}
partitions_sql >"$IT_WORK/parts.sql"
parts=$(wc -l <"$IT_WORK/parts.sql")
[ "$parts" -ge 20 ] && it_pass "$parts partitions have a stored event time" ||
	it_fail "only $parts partitions have a stored event time"
it_eq "latest event time per partition, /metrics vs consumer_offset" \
	"$(cat "$IT_WORK/parts.sql")" "$(partitions_metrics "$IT_WORK/metrics")"

now=$(date +%s)
commit=$(sed -n 's/^disclosed_last_commit_timestamp_seconds \([0-9]*\).*/\1/p' "$IT_WORK/metrics")
[ -n "$commit" ] && [ $((now - commit)) -ge 0 ] && [ $((now - commit)) -lt 120 ] &&
	it_pass "last commit $((now - commit)) s ago" || it_fail "last commit time '$commit', now $now"
start1=$(sed -n 's/^process_start_time_seconds \([0-9]*\).*/\1/p' "$IT_WORK/metrics")
[ -n "$start1" ] && [ $((now - start1)) -ge 0 ] && [ $((now - start1)) -lt 300 ] &&
	it_pass "process started $((now - start1)) s ago" || it_fail "process_start_time_seconds '$start1', now $now"
rss=$(sed -n 's/^process_resident_memory_bytes \([0-9]*\).*/\1/p' "$IT_WORK/metrics")
[ "${rss:-0}" -gt 1000000 ] && it_pass "resident memory $rss bytes" || it_fail "process_resident_memory_bytes '$rss'"
# The scrape's own connection and librdkafka's sockets come and go.
fds=$(sed -n 's/^process_open_fds \([0-9]*\).*/\1/p' "$IT_WORK/metrics")
proc_fds=$(find /proc/"$pid"/fd -mindepth 1 | wc -l)
[ "${fds:-0}" -ge $((proc_fds - 3)) ] && [ "${fds:-0}" -le $((proc_fds + 3)) ] &&
	it_pass "process_open_fds $fds, /proc counts $proc_fds" ||
	it_fail "process_open_fds '$fds', /proc counts $proc_fds"
grep -q '^disclosed_events_quarantined_total{topic="[^"]' "$IT_WORK/metrics" &&
	it_pass "set-aside events counted" || it_fail "no disclosed_events_quarantined_total by topic"

# A restart: the partitions' times come back from PostgreSQL before any
# new event, and the start time moves (what DisclosedRestarted watches).
it_stop_daemon "$pid"
sleep 1.1
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"
pid=$IT_PID
deadline=$((SECONDS + 60))
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || [ $SECONDS -ge $deadline ]; do sleep 0.3; done
sleep 1.5
curl -sf "http://127.0.0.1:$port/metrics" >"$IT_WORK/metrics2" || it_fail "GET /metrics after the restart"
it_eq "latest event time per partition after a restart" \
	"$(cat "$IT_WORK/parts.sql")" "$(partitions_metrics "$IT_WORK/metrics2")"
it_eq "no agency times before a new commit" "" \
	"$(grep '^disclosed_agency_latest_event_time_seconds{' "$IT_WORK/metrics2" || true)"
start2=$(sed -n 's/^process_start_time_seconds \([0-9]*\).*/\1/p' "$IT_WORK/metrics2")
[ "${start2:-0}" -gt "${start1:-0}" ] && it_pass "process_start_time_seconds moved on restart" ||
	it_fail "process_start_time_seconds '$start1' then '$start2'"
it_stop_daemon "$pid"
it_done
