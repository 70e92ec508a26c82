#!/usr/bin/env bash
# Personal data: complainants' and applicants' names, phone numbers and ID
# numbers reach no table and no log in clear: not the rows, not the stored
# payloads, not the quarantine, not the debug log. A repeat complainant is
# still recognizable by the keyed hash.
. "$(dirname "$0")/lib.sh"
it_services
key=k3y-$RANDOM-$RANDOM-for-disclosed-tests
printf '%s\n' "$key" >"$IT_WORK/pii.key"
chmod 600 "$IT_WORK/pii.key"
it_config "$IT_WORK/d.conf" "[privacy]" "hmac_key_file = $IT_WORK/pii.key" "[log]" "level = debug"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
NAME=王小明 PHONE=13912345678 ID=110101199003074518 ANAME=李四 APHONE=13698765432
ev() { # id type subject data
	printf '{"specversion":"1.0","id":"%s","source":"/pii","type":"disclosure.%s","time":"2021-03-0%sT09:00:00+08:00","subject":"%s","agency":"pii-bureau","data":%s}\n' \
		"$1" "$2" "${1: -1}" "$3" "$4"
}
person="\"complainant_name\":\"$NAME\",\"complainant_phone\":\"$PHONE\",\"complainant_id_number\":\"$ID\""
{
	ev c1 complaint.received TS-1 "{\"channel\":\"online\",$person}"
	ev c2 complaint.received TS-2 "{\"channel\":\"online\",$person}"
	ev c3 complaint.received TS-3 "{\"channel\":\"phone\",$person}"
	ev a1 application.received AP-1 "{\"applicant_class\":\"natural_person\",\"applicant_name\":\"$ANAME\",\"applicant_phone\":\"$APHONE\"}"
	ev c4 complaint.received TS-4 "{\"channel\":\"carrier pigeon\",$person}"
	ev c5 complaint.received TS-5 "{\"channel\":\"online\",\"complainant_phone\":\"$PHONE\" broken"
} >"$IT_WORK/events"
"$EVTOOL" lines -b "$KAFKA_BOOTSTRAP" -t "${IT_TOPICS}complaints" "$IT_WORK/events" >/dev/null
printf '{"channel":"online","complainant_phone":"%s"}' "$PHONE" >"$IT_WORK/bin.json"
printf 'ce_specversion=1.0\nce_id=c6\nce_source=/pii\nce_type=disclosure.complaint.received\nce_time=2021-03-06T09:00:00+08:00\nce_subject=TS-6\nce_agency=pii-bureau\n' >"$IT_WORK/bin.headers"
"$EVTOOL" file -b "$KAFKA_BOOTSTRAP" -t "${IT_TOPICS}complaints" "$IT_WORK/bin.json" "$IT_WORK/bin.headers" >/dev/null
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
it_wait_offsets 7 60 || true
it_stop_daemon "$pid"
it_eq "stored events" 5 "$(it_rows)"
it_eq "quarantined (bad channel, broken JSON)" 2 "$(it_psql -c 'SELECT count(*) FROM disclosed.quarantine')"
pg_dump --no-owner "$IT_CONNINFO" >"$IT_WORK/dump.sql"
if [ -s "$IT_WORK/dump.sql" ]; then
	it_pass "dumped the database ($(wc -c <"$IT_WORK/dump.sql") bytes)"
else
	it_fail "pg_dump failed"
fi
# Every text and jsonb column, in clear in the dump.
for v in "$NAME" "$PHONE" "$ID" "$ANAME" "$APHONE"; do
	if grep -q "$v" "$IT_WORK/dump.sql"; then it_fail "\"$v\" is in the database in clear"
	else it_pass "no text column holds $v"; fi
done
# Stored payloads are bytes: only the one event that is not JSON at all
# keeps them as sent (nothing can be redacted in what cannot be parsed).
it_eq "payloads holding the phone number: only the unparseable one" "1|c5 broken" \
	"$(it_psql -c "SELECT count(*), min(CASE WHEN reason_code = 'bad_json' THEN 'c5 broken' END) FROM disclosed.quarantine WHERE position(convert_to('$PHONE', 'UTF8') in payload) > 0")"
it_eq "no stored event payload holds any identifier" 0 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.raw_event WHERE payload LIKE ANY (ARRAY['%$NAME%', '%$PHONE%', '%$ID%', '%$ANAME%', '%$APHONE%'])")"
# The log was written at debug level, batch by batch: not finding a value in
# it means something only if it holds those lines.
if grep -q "batch committed messages=" "$IT_WORK/d.log"; then
	it_pass "the debug log holds the batches ($(wc -l <"$IT_WORK/d.log") lines)"
else
	it_fail "the debug log has no batch line: $(head -3 "$IT_WORK/d.log")"
fi
for v in "$NAME" "$PHONE" "$ID" "$ANAME" "$APHONE"; do
	if grep -q "$v" "$IT_WORK/d.log"; then
		it_fail "\"$v\" is in the daemon's log"
	else
		it_pass "the log never shows $v"
	fi
done
want="hmac-sha256:$(printf '%s' "$PHONE" | openssl dgst -sha256 -mac HMAC -macopt "key:$key" | awk '{ print $NF }')"
it_eq "a repeat complainant is one keyed hash, the one expected" "1|$want" \
	"$(it_psql -c "SELECT count(DISTINCT complainant_phone), min(complainant_phone) FROM disclosed.complaint_received")"
it_eq "the binary-mode event's phone is hashed too" "$want" \
	"$(it_psql -c "SELECT complainant_phone FROM disclosed.complaint_received WHERE event_id = 'c6'")"
it_eq "the quarantined bad-channel event is kept redacted" 1 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.quarantine WHERE convert_from(payload, 'UTF8') LIKE '%$want%'")"
it_done
