#!/usr/bin/env bash
# Corrections through the real broker and database (docs/events.md,
# "Identity, duplicates, corrections"): a receipt withdrawn, a closing's
# outcome and a publication's category replaced, a correction sent before
# its original, each counted as corrected in the state views and the
# report while the original rows stay as stored; a correction of an
# unknown event, one that changes the agency and a second withdrawal named
# by the report's data checks; the corrections applied listed in its JSON;
# and published.unchanged naming the cells a correction changed after the
# year was reported.
. "$(dirname "$0")/lib.sh"
it_services
REPORT=$BUILD/disclosed-report
mkdir -p "$IT_WORK/texts"
it_config "$IT_WORK/d.conf" "[report]" "texts_dir = $IT_WORK/texts" "output_dir = $IT_WORK/out"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
topic=${IT_TOPICS}complaints
sent=0

# send FILE: its lines as messages, then wait until all are consumed.
send() {
	"$EVTOOL" lines -b "$KAFKA_BOOTSTRAP" -t "$topic" "$1" >/dev/null
	sent=$((sent + $(grep -c . "$1")))
	it_wait_offsets "$sent" 60 || it_fail "not every message of $1 was consumed"
}
# ev ID TYPE TIME SUBJECT DATA [AGENCY]: one structured event.
ev() {
	printf '{"specversion":"1.0","id":"%s","source":"/desk","type":"disclosure.%s","time":"%s","subject":"%s","agency":"%s","data":%s}\n' \
		"$1" "$2" "$3" "$4" "${6:-yaodu-xinfang}" "$5"
}
# fix ID TARGET_ID TARGET_TYPE ACTION [DATA] [AGENCY] [TARGET_SOURCE] [SUBJECT]
fix() {
	local data=""
	[ -n "${5:-}" ] && data=",\"data\":$5"
	ev "$1" event.corrected 2022-01-05T09:00:00+08:00 "${8:-X}" \
		"{\"target_source\":\"${7:-/desk}\",\"target_id\":\"$2\",\"target_type\":\"disclosure.$3\",\"action\":\"$4\"$data}" \
		"${6:-yaodu-xinfang}"
}
# The events, each correction's target named by its identity.
{
	ev ap1-r application.received 2021-03-01T10:00:00+08:00 AP-1 '{"applicant_class":"natural_person"}'
	ev ap1-c application.closed 2021-03-20T10:00:00+08:00 AP-1 '{"outcome":"3.2"}'
	ev ap2-r application.received 2021-04-01T10:00:00+08:00 AP-2 '{"applicant_class":"commercial_enterprise"}'
	ev pub1 publication.published 2021-05-01T10:00:00+08:00 PUB-1 '{"category":"notice","channel":"website"}'
	# Before its original (sent below): the route was wrong.
	fix fix-rv1 rv1-f review.filed replace '{"route":"litigation_direct"}' "" "" RV-1
	# Another agency's (its report is not read here), for the case spans:
	# before its original too, a notice that was a normative document.
	fix fix-pub2 pub2 publication.published replace '{"category":"normative_document","channel":"website"}' span-bureau "" PUB-2
	ev cp1 complaint.received 2021-02-01T10:00:00+08:00 CP-1 '{"channel":"online","category":"other"}' span-bureau
	ev cp2 complaint.received 2021-07-01T10:00:00+08:00 CP-2 '{"channel":"letter","category":"other"}' span-bureau
	# For the agencies of a year: gone-bureau's one event of 2021 is
	# withdrawn below; moved-bureau's one event, of 2020, is moved into 2021.
	ev gone1 reception.held 2021-03-01T10:00:00+08:00 RC-1 '{"leader":"director","visitors":1}' gone-bureau
	ev moved1 reception.held 2020-11-01T10:00:00+08:00 RC-2 '{"leader":"director","visitors":1}' moved-bureau
} >"$IT_WORK/first"
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
send "$IT_WORK/first"
{
	ev rv1-f review.filed 2021-06-01T10:00:00+08:00 RV-1 '{"route":"reconsideration"}'
	fix fix-ap2 ap2-r application.received withdraw           # a reception recorded by mistake
	fix fix-ap2-again ap2-r application.received withdraw     # the same withdrawal twice
	fix fix-ap1c ap1-c application.closed replace '{"outcome":"3.1"}' "" "" AP-1
	fix fix-pub1 pub1 publication.published replace '{"category":"work_news","channel":"website"}' "" "" PUB-1
	# Wrong: an event never stored, and a correction by another agency.
	fix fix-ghost ghost-1 application.received withdraw "" "" /nowhere
	fix fix-other ap1-r application.received withdraw "" other-bureau
	fix fix-type ap1-c application.received withdraw   # ap1-c is a closing
	ev pub2 publication.published 2021-08-01T10:00:00+08:00 PUB-2 '{"category":"notice","channel":"website"}' span-bureau
	# CP-1 was the same complaint as CP-2, received earlier online.
	fix fix-cp1 cp1 complaint.received replace '{"channel":"online","category":"other"}' span-bureau "" CP-2 \
		| sed 's/"action":"replace"/"action":"replace","fact_time":"2021-01-20T10:00:00+08:00"/'
	fix fix-gone1 gone1 reception.held withdraw "" gone-bureau
	fix fix-moved1 moved1 reception.held replace '{"leader":"director","visitors":1}' moved-bureau "" RC-2 \
		| sed 's/"action":"replace"/"action":"replace","fact_time":"2021-02-01T10:00:00+08:00"/'
} >"$IT_WORK/second"
send "$IT_WORK/second"
it_spans "after corrections, one sent before its original"
it_eq "PUB-2 a normative document since its publication; CP-1 merged into CP-2, opened online" \
	"complaint CP-2 online 2021-01-20|regulation PUB-2 normative_document 2021-08-01" \
	"$(it_psql -c "SELECT string_agg(kind || ' ' || subject || ' ' || opened_as || ' '
	                                 || to_char(opened_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'),
	                                 '|' ORDER BY kind, subject)
	                 FROM disclosed.case_span
	                WHERE subject IN ('CP-1', 'CP-2', 'PUB-2') AND kind IN ('complaint', 'regulation')")"
# The agencies of a year (sql/report/agencies_in_year.sql, as report/compute.c
# runs it) are those with effective events in it: not gone-bureau, whose
# event was withdrawn, nor other-bureau, which sent only a correction; and
# moved-bureau in 2021, not 2020.
agencies() { # YEAR -> the agencies, one line
	it_psql <<SQL | tr '\n' ' ' | sed 's/ $//'
PREPARE q(text, int, text, timestamptz, timestamptz) AS $(sed -e 's/;[[:space:]]*$//' "$IT_ROOT/sql/report/agencies_in_year.sql");
EXECUTE q(NULL, $1, 'Asia/Shanghai', make_timestamptz($1, 1, 1, 0, 0, 0, 'Asia/Shanghai'),
          make_timestamptz($1 + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai'));
SQL
}
it_eq "the agencies of 2021" "moved-bureau span-bureau yaodu-xinfang" "$(agencies 2021)"
it_eq "the agencies of 2020" "" "$(agencies 2020)"
it_eq "an unknown agency is named with every agency that has stored events" \
	'disclosed-report: unknown agency "nobody": no event names it (agencies with data: ["gone-bureau","moved-bureau","other-bureau","span-bureau","yaodu-xinfang"])' \
	"$("$REPORT" -c "$IT_WORK/d.conf" --year 2021 --agency nobody --format json 2>&1 >/dev/null)"
it_eq "every correction is stored, none set aside" "12 0" \
	"$(it_psql -c "SELECT (SELECT count(*) FROM disclosed.event_correction), (SELECT count(*) FROM disclosed.quarantine)" | tr '|' ' ')"

# --- SQL: the originals stay, the effective facts are corrected ----------
it_eq "the originals are stored as sent" "3.2 notice reconsideration 2" \
	"$(it_psql -c "SELECT (SELECT outcome FROM disclosed.application_closed WHERE event_id = 'ap1-c'), (SELECT category FROM disclosed.publication_published WHERE event_id = 'pub1'), (SELECT route FROM disclosed.review_filed WHERE event_id = 'rv1-f'), (SELECT count(*) FROM disclosed.application_received)" | tr '|' ' ')"
it_eq "application_state: AP-1 closed as corrected, AP-2 withdrawn" "AP-1 natural_person 3.1" \
	"$(it_psql -c "SELECT application_id, applicant_class, outcome FROM disclosed.application_state" | tr '|' ' ')"
it_eq "the replacement keeps the original's identity and names the correction" \
	"/desk ap1-c 3.1 /desk fix-ap1c 2021-03-20 02:00:00+00" \
	"$(it_psql -c "SET TIME ZONE 'UTC'; SELECT source, event_id, outcome, correction_source, correction_id, event_time FROM disclosed.effective_application_closed" | tr '|' ' ')"
it_eq "a correction sent before its original applies: review_state" "RV-1 litigation_direct" \
	"$(it_psql -c "SELECT case_id, route FROM disclosed.review_state" | tr '|' ' ')"
it_eq "the other agency's correction changes nothing of AP-1's receipt" 1 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.effective_application_received WHERE event_id = 'ap1-r'")"
it_eq "correction_status: what each correction found" \
	"fix-ap2-again second_withdrawal
fix-ghost unknown_target
fix-other agency_changed
fix-type type_changed" \
	"$(it_psql -c "SELECT event_id, CASE WHEN unknown_target THEN 'unknown_target' WHEN type_changed THEN 'type_changed' WHEN agency_changed THEN 'agency_changed' ELSE 'second_withdrawal' END FROM disclosed.correction_status WHERE unknown_target OR type_changed OR agency_changed OR second_withdrawal ORDER BY 1" | tr '|' ' ')"

# --- the report ------------------------------------------------------------
report() { # JSON of agency $1, year 2021 -> $IT_WORK/$2.json; sets rc
	rc=0
	"$REPORT" -c "$IT_WORK/d.conf" --year 2021 --agency "$1" --format json \
		>"$IT_WORK/$2.json" 2>"$IT_WORK/$2.err" || rc=$?
}
check() { jq -r --arg id "$2" '.checks[] | select(.id == $id) | .state + " " + .where' "$IT_WORK/$1.json"; }
report yaodu-xinfang r1
it_eq "the report fails on the corrections not applied" 1 "$rc"
it_eq "section 三: AP-1 answered 3.1 (not 3.2), AP-2 not received" "1 1 0 0 1" \
	"$(jq -r '.section3 | [."1".total, ."3.1".natural_person, ."3.2".total, ."1".commercial_enterprise, ."3.7".total] | map(tostring) | join(" ")' "$IT_WORK/r1.json")"
it_eq "section 一: PUB-1 counted as work news, not a notice" "1 0" \
	"$(jq -r '.overview | [.work_news, .notices] | map(tostring) | join(" ")' "$IT_WORK/r1.json")"
it_eq "section 四: RV-1 a direct lawsuit" "1 0" \
	"$(jq -r '.section4 | [.litigation_direct.pending, .reconsideration.total] | map(tostring) | join(" ")' "$IT_WORK/r1.json")"
it_eq "the identities hold on the corrected facts" "holds holds holds holds" \
	"$(for c in s3.balance s3.results_total s3.columns_total s4.totals; do check r1 "$c" | cut -d' ' -f1; done | tr '\n' ' ' | sed 's/ $//')"
it_eq "data.correction_unknown_target names it" \
	"failed agency yaodu-xinfang: 1 correction(s) not applied or repeated: /desk fix-ghost: no stored event /nowhere ghost-1" \
	"$(check r1 data.correction_unknown_target)"
it_eq "data.correction_agency_changed names it" \
	"failed agency yaodu-xinfang: 1 correction(s) not applied or repeated: /desk fix-other: /desk ap1-r is agency yaodu-xinfang's, the correction agency other-bureau's" \
	"$(check r1 data.correction_agency_changed)"
it_eq "data.correction_second_withdrawal names it" \
	"failed agency yaodu-xinfang: 1 correction(s) not applied or repeated: /desk fix-ap2-again: /desk ap2-r was withdrawn already" \
	"$(check r1 data.correction_second_withdrawal)"
it_eq "data.correction_type_changed names it" \
	"failed agency yaodu-xinfang: 1 correction(s) not applied or repeated: /desk fix-type: /desk ap1-c is a disclosure.application.closed, not a disclosure.application.received" \
	"$(check r1 data.correction_type_changed)"
it_eq "no report stored yet: published.unchanged not checked" \
	"not_checked not checked: no report of yaodu-xinfang 2021 stored" "$(check r1 published.unchanged)"
it_eq "the JSON counts the corrections applied" 4 "$(jq .corrections "$IT_WORK/r1.json")"
# All made at the same time: in the order of (time, source, id); of AP-2's
# two withdrawals the later one is current.
it_eq "and lists them" \
	"fix-ap1c replace disclosure.application.closed ap1-c 3.1
fix-ap2-again withdraw disclosure.application.received ap2-r
fix-pub1 replace disclosure.publication.published pub1 work_news
fix-rv1 replace disclosure.review.filed rv1-f reconsideration->litigation_direct" \
	"$(jq -r '.corrections_list[] | [.id, .action, .target.type, .target.id, (.replacement.data // {} | (.route // "" | if . != "" then "reconsideration->" + . else . end) + (.outcome // "") + (.category // ""))] | join(" ") | sub(" $"; "")' "$IT_WORK/r1.json")"
it_eq "a replacement keeps the original's time" "2021-05-01 02:00:00+00 2021-05-01 02:00:00+00" \
	"$(jq -r '.corrections_list[] | select(.id == "fix-pub1") | .target.time + " " + .replacement.time' "$IT_WORK/r1.json")"
if grep -q "yaodu-xinfang 2021: 4 correction(s) applied" "$IT_WORK/r1.err"; then
	it_pass "stderr says how many corrections were applied"
else
	it_fail "no corrections line on stderr: $(cat "$IT_WORK/r1.err")"
fi
it_eq "the snapshot stores the count" 4 \
	"$(it_psql -c "SELECT report -> 'corrections' FROM disclosed.report_snapshot WHERE agency = 'yaodu-xinfang' AND year = 2021")"
it_eq "the snapshot keeps no list" "" \
	"$(it_psql -c "SELECT report -> 'corrections_list' FROM disclosed.report_snapshot WHERE agency = 'yaodu-xinfang'")"

report yaodu-xinfang r2
it_eq "rerun on the same facts: published.unchanged holds" \
	"holds every cell as in the report stored" "$(check r2 published.unchanged)"

# A later correction of a year already reported: AP-1 was not answered
# 3.1 after all but 3.3.1 (the latest correction counts).
fix fix-ap1c-2 ap1-c application.closed replace '{"outcome":"3.3.1"}' "" "" AP-1 >"$IT_WORK/third"
send "$IT_WORK/third"
it_stop_daemon "$pid"
report yaodu-xinfang r3
it_eq "the latest correction counts" "0 1" \
	"$(jq -r '.section3 | [."3.1".total, ."3.3.1".total] | map(tostring) | join(" ")' "$IT_WORK/r3.json")"
where=$(check r3 published.unchanged)
case $where in
"failed "*"section3/3.1/natural_person: 1 -> 0"*"section3/3.3.1/natural_person: 0 -> 1"*"cell(s) changed since the report stored at "*)
	it_pass "published.unchanged names the changed cells" ;;
*) it_fail "published.unchanged: $where" ;;
esac
if grep -q "check published.unchanged FAILED: .*section3/3.1/total: 1 -> 0" "$IT_WORK/r3.err"; then
	it_pass "the changed cell is said on stderr"
else
	it_fail "stderr: $(cat "$IT_WORK/r3.err")"
fi
it_eq "the run that saw the change exits 1" 1 "$rc"
it_done
