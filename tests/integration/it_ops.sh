#!/usr/bin/env bash
# Operating the daemon: sd_notify messages on a socket the test provides,
# /metrics and /healthz over HTTP, SIGHUP reloading the log level, then the
# operator commands: quarantine list, quarantine replay after a fix, rewind.
. "$(dirname "$0")/lib.sh"
it_services
port=$(harness_free_port)
it_config "$IT_WORK/d.conf" "[metrics]" "listen = 127.0.0.1:$port" "[log]" "level = info"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
# PostgreSQL will refuse receptions with 8 visitors until the "fix" below.
it_psql -c "ALTER TABLE disclosed.reception_held ADD CONSTRAINT visitors_small CHECK (visitors < 8)"
it_produce -n 3000 --prefix ops --bad-every 100
bad=$(sed -n 's/.*bad=\([0-9]*\).*/\1/p' "$IT_WORK/produced")
socat -u "UNIX-RECV:$IT_WORK/notify.sock" "OPEN:$IT_WORK/notify.out,creat,append" &
sink=$!
sleep 0.3
NOTIFY_SOCKET=$IT_WORK/notify.sock WATCHDOG_USEC=3000000 it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"
pid=$IT_PID
it_wait_offsets "$IT_MSGS" 60 || true
sleep 1.5 # one housekeeping round after the last commit

# The body's newline and the status code on one line.
health=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$port/healthz" | tr -s '\n ' ' ')
it_eq "/healthz" "ok postgresql=up kafka=up assigned=28 200" "$health"
curl -s "http://127.0.0.1:$port/metrics" >"$IT_WORK/metrics"
it_eq "consumed counters add up to the messages" "$IT_MSGS" \
	"$(awk '/^disclosed_events_consumed_total\{/ { s += $2 } END { print s }' "$IT_WORK/metrics")"
it_eq "quarantined by the decoder, by reason" "$bad" \
	"$(awk '/^disclosed_events_quarantined_total\{topic="it/ { s += $2 } END { print s }' "$IT_WORK/metrics")"
rejected=$(it_psql -c "SELECT count(*) FROM disclosed.quarantine WHERE reason_code = 'db_rejected'")
it_eq "db_rejected in the metrics" "$rejected" \
	"$(awk '/reason="db_rejected"/ { print $2 }' "$IT_WORK/metrics")"
it_eq "every partition's lag is 0" 28 "$(grep -c '^disclosed_partition_lag{.*} 0$' "$IT_WORK/metrics")"
if grep -q '^disclosed_commit_latency_seconds_count [1-9]' "$IT_WORK/metrics"; then
	it_pass "commit latency histogram has samples"
else
	it_fail "no commit latency samples"
fi
it_eq "404 for other paths" 404 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/nope")"

sed -i 's/^level = info/level = debug/' "$IT_WORK/d.conf"
kill -HUP "$pid"
sleep 1.5
if grep -q "reload: log level is now debug" "$IT_WORK/d.log"; then
	it_pass "SIGHUP applied the log level"
else
	it_fail "no reload in the log"
fi
kill -HUP "$pid"
sleep 1.5
if grep -q "reload: no change in $IT_WORK/d.conf" "$IT_WORK/d.log"; then
	it_pass "a SIGHUP that changes nothing says so"
else
	it_fail "no \"reload: no change\" in the log"
fi
if grep -q "event rejected by PostgreSQL, quarantined: .*SQLSTATE 23514" "$IT_WORK/d.log"; then
	it_pass "rejected events logged with their SQLSTATE"
else
	it_fail "no rejection in the log"
fi
it_stop_daemon "$pid"
kill "$sink" 2>/dev/null || true
notes=$(tr -d '\0' <"$IT_WORK/notify.out")
for m in READY=1 "STATUS=running consumed=$IT_MSGS" WATCHDOG=1 RELOADING=1 STOPPING=1; do
	case $notes in *"$m"*) it_pass "sd_notify sent $m" ;; *) it_fail "sd_notify never sent $m" ;; esac
done

# --- quarantine list and replay ----------------------------------------------------
total_q=$(it_psql -c "SELECT count(*) FROM disclosed.quarantine")
"$DISCLOSED" -c "$IT_WORK/d.conf" quarantine list --limit 1000 >"$IT_WORK/qlist" 2>/dev/null
it_eq "quarantine list shows every set-aside event" "$total_q" "$(wc -l <"$IT_WORK/qlist")"
it_eq "quarantine list --reason db_rejected" "$rejected" \
	"$("$DISCLOSED" -c "$IT_WORK/d.conf" quarantine list --limit 1000 --reason db_rejected 2>/dev/null | wc -l)"

# --- quarantine show: one event in full, as text or hex --------------------------------
qid=$(it_psql -c "SELECT min(id) FROM disclosed.quarantine WHERE reason_code = 'db_rejected'")
"$DISCLOSED" quarantine show "$qid" -c "$IT_WORK/d.conf" >"$IT_WORK/show" 2>&1 && rc=0 || rc=$?
it_eq "quarantine show ID -c FILE (option after the command): exit" 0 "$rc"
for field in "reason code" sqlstate topic partition offset "event type" source "event id" "quarantined at"; do
	want=$(it_psql -c "SELECT coalesce(CASE '$field' WHEN 'reason code' THEN reason_code WHEN 'sqlstate' THEN sqlstate
		WHEN 'topic' THEN topic WHEN 'partition' THEN kafka_partition::text WHEN 'offset' THEN kafka_offset::text
		WHEN 'event type' THEN event_type WHEN 'source' THEN source WHEN 'event id' THEN event_id
		ELSE to_char(quarantined_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') END, '-')
		FROM disclosed.quarantine WHERE id = $qid")
	it_eq "quarantine show: $field" "$want" "$(sed -n "s/^$field  *//p" "$IT_WORK/show")"
done
it_eq "quarantine show: the SQLSTATE of the CHECK" 23514 "$(sed -n 's/^sqlstate  *//p' "$IT_WORK/show")"
it_eq "quarantine show: the payload as text, byte for byte" \
	"$(it_psql -c "SELECT md5(payload) FROM disclosed.quarantine WHERE id = $qid")" \
	"$(sed -n '/^payload (.*UTF-8 text):$/,$p' "$IT_WORK/show" | tail -n +2 | head -c -1 | md5sum | cut -d' ' -f1)"
hid=$(it_psql -c "INSERT INTO disclosed.quarantine (topic, kafka_partition, kafka_offset, payload, reason_code, reason)
	VALUES ('it-hex', 0, 1, '\\xff00fe7b'::bytea, 'bad_json', 'not UTF-8') RETURNING id" | head -1)
"$DISCLOSED" -c "$IT_WORK/d.conf" quarantine show "$hid" >"$IT_WORK/show-hex" 2>&1
it_eq "quarantine show: a payload that is not UTF-8, in hex" "payload (4 bytes, not UTF-8 text, in hex):|00000000  ff 00 fe 7b" \
	"$(grep -A1 '^payload' "$IT_WORK/show-hex" | paste -sd'|')"
it_psql -c "DELETE FROM disclosed.quarantine WHERE id = $hid" >/dev/null
"$DISCLOSED" -c "$IT_WORK/d.conf" quarantine show 999999999 >/dev/null 2>"$IT_WORK/err" && rc=0 || rc=$?
it_eq "quarantine show of an id that does not exist: exit 66" 66 "$rc"
"$DISCLOSED" -c "$IT_WORK/d.conf" quarantine show 12x >/dev/null 2>"$IT_WORK/err" && rc=0 || rc=$?
it_eq "quarantine show of a non-id: exit 64" 64 "$rc"

it_psql -c "ALTER TABLE disclosed.reception_held DROP CONSTRAINT visitors_small" # the fix
"$DISCLOSED" -c "$IT_WORK/d.conf" quarantine replay >"$IT_WORK/replay" 2>&1 || true
it_eq "replay summary" "replayed $rejected event(s): $rejected stored, 0 already stored, 0 refused by PostgreSQL; $bad still invalid" \
	"$(tail -1 "$IT_WORK/replay")"
grep -v "^quarantine " "$IT_WORK/expect" >"$IT_WORK/expect2"
it_check_expect "$IT_WORK/expect2"
it_eq "replayed rows marked" "$rejected" \
	"$(it_psql -c "SELECT count(*) FROM disclosed.quarantine WHERE replayed_at IS NOT NULL")"
"$DISCLOSED" -c "$IT_WORK/d.conf" quarantine replay >"$IT_WORK/replay2" 2>&1 || true
it_eq "a second replay finds only the invalid ones" "nothing to replay; $bad still invalid" "$(tail -1 "$IT_WORK/replay2")"

# --- rewind ----------------------------------------------------------------------
rows=$(it_rows)
"$DISCLOSED" -c "$IT_WORK/d.conf" rewind --group "$IT_DB" --topic "${IT_TOPICS}receptions" \
	--to 2000-01-01T00:00:00Z >"$IT_WORK/rewind" 2>&1
it_eq "rewind set every receptions partition to 0" 4 "$(grep -c -- '-> 0$' "$IT_WORK/rewind")"
it_eq "stored offsets after rewind" 0 \
	"$(it_psql -c "SELECT sum(next_offset) FROM disclosed.consumer_offset WHERE topic = '${IT_TOPICS}receptions'")"
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d2.log"; pid=$IT_PID
it_wait_offsets "$IT_MSGS" 60 || true
it_stop_daemon "$pid"
it_eq "rows after re-reading the topic (duplicates skipped)" "$rows" "$(it_rows)"
if grep -q "stopped consumed=[1-9][0-9]* stored=0 duplicates=[1-9]" "$IT_WORK/d2.log"; then
	it_pass "the re-read events were all duplicates"
else
	it_fail "unexpected: $(grep stopped "$IT_WORK/d2.log")"
fi
"$DISCLOSED" -c "$IT_WORK/d.conf" rewind --group g --topic t --to yesterday >/dev/null 2>"$IT_WORK/err" && rc=0 || rc=$?
it_eq "rewind with a bad time: exit 64" 64 "$rc"
it_done
