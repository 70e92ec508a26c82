#!/usr/bin/env bash
# Duplicates through the real broker and database: a second copy of a stored
# event with the same content, in the other mode, is skipped silently; one
# with other content is quarantined as conflicting_duplicate with both
# content digests and the stored row's lineage, counted in /metrics, and
# the stored row is left as it was. Binary mode reads every header: 66, 74
# and 5,000 of them.
. "$(dirname "$0")/lib.sh"
it_services
port=$(harness_free_port)
it_config "$IT_WORK/d.conf" "[metrics]" "listen = 127.0.0.1:$port"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
topic=${IT_TOPICS}complaints
sent=0

# send PAYLOAD_FILE [HEADERS_FILE]: one message, then wait until it is
# consumed, so that each copy meets the stored row (not its batch).
send() {
	"$EVTOOL" file -b "$KAFKA_BOOTSTRAP" -t "$topic" "$@" >/dev/null
	sent=$((sent + 1))
	it_wait_offsets "$sent" 60 || it_fail "message $sent was not consumed"
}

it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID

cat >"$IT_WORK/first.json" <<'JSON'
{"specversion":"1.0","id":"d-1","source":"/dup","type":"disclosure.complaint.received","time":"2021-03-02T09:15:00+08:00","subject":"TS-D1","agency":"yaodu-xinfang","data":{"channel":"online","category":"roads"}}
JSON
send "$IT_WORK/first.json"
stored=$(it_psql -c "SELECT topic || '/' || kafka_partition || '/' || kafka_offset || ' ' || encode(content_digest, 'hex') || ' ' || md5(payload) FROM disclosed.complaint_received WHERE source = '/dup' AND event_id = 'd-1'")
[ -n "$stored" ] || it_fail "the first event was not stored"
read -r lineage digest _ <<<"$stored"
it_eq "the stored row has a 64-digit content digest" 64 "${#digest}"

# The same content in binary mode: other member order and formatting, the
# time in another zone, the headers in another order.
printf '{ "category": "roads",\n  "channel": "online" }' >"$IT_WORK/same.json"
printf '%s\n' ce_agency=yaodu-xinfang ce_subject=TS-D1 ce_time=2021-03-02T01:15:00Z \
	ce_type=disclosure.complaint.received ce_source=/dup ce_id=d-1 ce_specversion=1.0 \
	content-type=application/json >"$IT_WORK/same.h"
send "$IT_WORK/same.json" "$IT_WORK/same.h"
it_eq "an identical copy is not quarantined" 0 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.quarantine")"

# Other data under the same identity: set aside.
sed 's/"roads"/"bridges"/' "$IT_WORK/first.json" >"$IT_WORK/other.json"
send "$IT_WORK/other.json"
it_eq "a copy with other content is quarantined as conflicting_duplicate" \
	"conflicting_duplicate id /dup d-1 disclosure.complaint.received" \
	"$(it_psql -c "SELECT reason_code, field, source, event_id, event_type FROM disclosed.quarantine" | tr '|' ' ')"
reason=$(it_psql -c "SELECT reason FROM disclosed.quarantine")
ptopic=${lineage%%/*}; rest=${lineage#*/}; ppart=${rest%%/*}; poff=${rest#*/}
case $reason in
*"stored_digest=$digest stored_topic=$ptopic stored_partition=$ppart stored_offset=$poff"*)
	it_pass "the reason names the stored digest and lineage" ;;
*) it_fail "the reason lacks the stored digest or lineage: $reason" ;;
esac
newdigest=$(sed -n 's/.* digest=\([0-9a-f]*\) stored_digest=.*/\1/p' <<<"$reason")
it_eq "the reason's digest is the new content's, not the stored one's" 64 "${#newdigest}"
if [ "$newdigest" != "$digest" ]; then it_pass "the two digests differ"; else it_fail "equal digests"; fi
it_eq "the stored row is unchanged" "$stored" \
	"$(it_psql -c "SELECT topic || '/' || kafka_partition || '/' || kafka_offset || ' ' || encode(content_digest, 'hex') || ' ' || md5(payload) FROM disclosed.complaint_received WHERE source = '/dup' AND event_id = 'd-1'")"
it_eq "the quarantined payload is the copy's" "$(tr -d '\n' <"$IT_WORK/other.json")" \
	"$(it_psql -c "SELECT convert_from(payload, 'UTF8') FROM disclosed.quarantine")"
if it_wait_log "$IT_WORK/d.log" "reason=conflicting_duplicate" 10; then
	it_pass "the conflict is logged"
else
	it_fail "no log line for the conflict"
fi

# A row stored before migration 0006 has no digest: a copy counts as the
# same content (docs/events.md), skipped as before.
it_psql -c "UPDATE disclosed.complaint_received SET content_digest = NULL WHERE event_id = 'd-1'"
sed 's/"roads"/"tunnels"/' "$IT_WORK/first.json" >"$IT_WORK/old.json"
send "$IT_WORK/old.json"
it_eq "a copy of a row without a digest is skipped" 1 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.quarantine")"

# Many headers. noise N: N headers that are not CloudEvents attributes.
noise() { for i in $(seq 1 "$1"); do echo "x-trace-$i=v$i"; done; }
body='{"channel":"online"}'
printf '%s' "$body" >"$IT_WORK/body.json"
ce() { # id
	printf '%s\n' ce_id="$1" ce_source=/hdr ce_type=disclosure.complaint.received \
		ce_time=2021-04-01T08:00:00Z ce_subject=TS-H ce_agency=yaodu-xinfang
}
# 66 headers before ce_specversion.
{ noise 60; ce h-66; echo ce_specversion=1.0; } >"$IT_WORK/h66"
send "$IT_WORK/body.json" "$IT_WORK/h66"
it_eq "ce_specversion after 66 other headers: stored in binary mode, all 67 headers kept" "t 67" \
	"$(it_psql -c "SELECT binary_mode, jsonb_array_length(headers) FROM disclosed.complaint_received WHERE event_id = 'h-66'" | tr '|' ' ')"
# 74 headers: a ce_id first and a repeated one last; the last one wins.
{ echo ce_id=h-first; echo ce_specversion=1.0; noise 66; ce h-74; } >"$IT_WORK/h74"
it_eq "the test message has 74 headers" 74 "$(wc -l <"$IT_WORK/h74")"
send "$IT_WORK/body.json" "$IT_WORK/h74"
it_eq "a repeated ce_id after the 64th header wins" "h-74 74" \
	"$(it_psql -c "SELECT event_id, jsonb_array_length(headers) FROM disclosed.complaint_received WHERE source = '/hdr' AND event_id IN ('h-74', 'h-first')" | tr '|' ' ')"
# 5,000 headers, the attributes at the end.
{ noise 4993; ce h-5000; echo ce_specversion=1.0; } >"$IT_WORK/h5000"
send "$IT_WORK/body.json" "$IT_WORK/h5000"
it_eq "5,000 headers: stored, every header kept, the last one last" "5000 ce_specversion" \
	"$(it_psql -c "SELECT jsonb_array_length(headers), headers->4999->>'name' FROM disclosed.complaint_received WHERE event_id = 'h-5000'" | tr '|' ' ')"
it_eq "nothing else was quarantined" 1 "$(it_psql -c "SELECT count(*) FROM disclosed.quarantine")"

sleep 1.5 # one housekeeping round after the last commit
curl -sf "http://127.0.0.1:$port/metrics" >"$IT_WORK/metrics" || it_fail "GET /metrics"
it_eq "disclosed_events_conflicting_total" "disclosed_events_conflicting_total 1" \
	"$(grep '^disclosed_events_conflicting_total' "$IT_WORK/metrics")"
it_eq "disclosed_events_duplicate_total counts the identical copy and the undigested one" \
	"disclosed_events_duplicate_total 2" "$(grep '^disclosed_events_duplicate_total' "$IT_WORK/metrics")"
it_stop_daemon "$pid"

# Two copies of a new identity sent while the daemon is stopped, read
# together on start (one batch, or two): the second is set aside naming the
# first's lineage.
sed 's/"d-1"/"d-2"/' "$IT_WORK/first.json" >"$IT_WORK/b1.json"
sed 's/"d-1"/"d-2"/; s/"roads"/"bridges"/' "$IT_WORK/first.json" >"$IT_WORK/b2.json"
"$EVTOOL" file -b "$KAFKA_BOOTSTRAP" -t "$topic" "$IT_WORK/b1.json" >/dev/null
"$EVTOOL" file -b "$KAFKA_BOOTSTRAP" -t "$topic" "$IT_WORK/b2.json" >/dev/null
sent=$((sent + 2))
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
it_wait_offsets "$sent" 60 || it_fail "the two copies were not consumed"
it_eq "one copy of d-2 is stored, the other set aside" "1 1" \
	"$(it_psql -c "SELECT (SELECT count(*) FROM disclosed.complaint_received WHERE event_id = 'd-2'), (SELECT count(*) FROM disclosed.quarantine WHERE reason_code = 'conflicting_duplicate' AND reason LIKE '%id d-2 %')" | tr '|' ' ')"
first=$(it_psql -c "SELECT 'stored_digest=' || encode(content_digest, 'hex') || ' stored_topic=' || topic || ' stored_partition=' || kafka_partition || ' stored_offset=' || kafka_offset FROM disclosed.complaint_received WHERE event_id = 'd-2'")
it_eq "the quarantined copy names the stored one" 1 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.quarantine WHERE reason LIKE '%id d-2 %' AND reason LIKE '%$first'")"
it_eq "each conflict is logged once" 2 "$(grep -c 'reason=conflicting_duplicate' "$IT_WORK/d.log")"
if grep -q 'earlier in this batch' "$IT_WORK/d.log"; then
	it_log "d-2's copies met in one batch"
else
	it_log "d-2's copies met in separate batches"
fi
it_stop_daemon "$pid"
it_done
