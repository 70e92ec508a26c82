#!/usr/bin/env bash
# Opening balances (disclosure.opening.stated) through the broker and the
# database: an agency going live on 1 January 2027 with applications,
# reviews and documents open from before, and a new-media account's views so
# far; its 2027 report (go-live year) and 2028 report (a normal year) are
# right cell by cell, their identities hold and 2028's carry-over matches
# the stored 2027 report; a restated line replaces the earlier statement; an
# opening balance that the detailed events contradict, and a line left with
# another as_of, are each named by their data check.
. "$(dirname "$0")/lib.sh"
it_services
REPORT=$BUILD/disclosed-report
it_config "$IT_WORK/d.conf" "[report]" "texts_dir = $IT_WORK/texts" "output_dir = $IT_WORK/out"
mkdir -p "$IT_WORK/texts"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate

N=0
# ev AGENCY TYPE TIME SUBJECT DATA: one structured event, ids numbered.
ev() {
	N=$((N + 1))
	printf '{"specversion":"1.0","id":"op-%d","source":"/it-opening","type":"disclosure.%s","time":"%s","subject":"%s","agency":"%s","data":%s}\n' \
		"$N" "$2" "$3" "$4" "$1" "$5"
}
AS_OF='"as_of":"2027-01-01T00:00:00+08:00"'
# line AGENCY TIME SUBJECT FIELDS: an opening statement.
line() { ev "$1" opening.stated "$2" "$3" "{$AS_OF,$4}"; }

G=golive-bureau
{
	# The position at go-live. natural_person is first stated as 5, then
	# restated as 2: the later statement counts.
	line $G 2027-01-03T09:00:00+08:00 open_applications/natural_person \
		'"balance":"open_applications","applicant_class":"natural_person","count":5'
	line $G 2027-01-04T09:00:00+08:00 open_applications/natural_person \
		'"balance":"open_applications","applicant_class":"natural_person","count":2'
	# A named line stated by mistake, then taken back (count 0).
	line $G 2027-01-03T09:00:00+08:00 open_applications/AP2026-0199 \
		'"balance":"open_applications","applicant_class":"natural_person","item":"AP2026-0199"'
	line $G 2027-01-04T09:00:00+08:00 open_applications/AP2026-0199 \
		'"balance":"open_applications","applicant_class":"natural_person","item":"AP2026-0199","count":0'
	line $G 2027-01-04T09:00:00+08:00 open_applications/AP2026-0107 \
		'"balance":"open_applications","applicant_class":"commercial_enterprise","item":"AP2026-0107"'
	line $G 2027-01-04T09:00:00+08:00 open_applications/AP2026-0108 \
		'"balance":"open_applications","applicant_class":"natural_person","item":"AP2026-0108"'
	line $G 2027-01-04T09:00:00+08:00 open_reviews/reconsideration \
		'"balance":"open_reviews","route":"reconsideration","count":1'
	line $G 2027-01-04T09:00:00+08:00 open_reviews/RV2026-004 \
		'"balance":"open_reviews","route":"litigation_direct","item":"RV2026-004"'
	line $G 2027-01-04T09:00:00+08:00 documents_in_force/regulation \
		'"balance":"documents_in_force","category":"regulation","count":3'
	line $G 2027-01-04T09:00:00+08:00 documents_in_force/normative_document \
		'"balance":"documents_in_force","category":"normative_document","count":4'
	line $G 2027-01-04T09:00:00+08:00 documents_in_force/DOC-2019-3 \
		'"balance":"documents_in_force","category":"normative_document","item":"DOC-2019-3"'
	line $G 2027-01-04T09:00:00+08:00 newmedia_views/wechat-gl \
		'"balance":"newmedia_views","account":"wechat-gl","count":100000'
	# 2027 and 2028 in detail.
	ev $G application.received 2027-03-01T10:00:00+08:00 AP2027-1 '{"applicant_class":"natural_person"}'
	ev $G application.closed 2027-03-10T10:00:00+08:00 AP2027-1 '{"outcome":"3.1"}'
	ev $G application.received 2027-11-01T10:00:00+08:00 AP2027-2 '{"applicant_class":"research_institution"}'
	ev $G application.closed 2028-02-01T10:00:00+08:00 AP2027-2 '{"outcome":"3.2"}'
	ev $G application.closed 2027-05-01T10:00:00+08:00 AP2026-0107 '{"outcome":"3.3.4"}'
	ev $G application.closed 2028-03-01T10:00:00+08:00 AP2026-0108 '{"outcome":"3.4.1"}'
	ev $G application.received 2028-05-01T10:00:00+08:00 AP2028-1 '{"applicant_class":"natural_person"}'
	ev $G publication.published 2027-06-01T10:00:00+08:00 REG-2027-1 '{"category":"regulation","channel":"website"}'
	ev $G publication.published 2027-07-01T10:00:00+08:00 NORM-2027-1 '{"category":"normative_document","channel":"website"}'
	ev $G publication.repealed 2027-09-01T10:00:00+08:00 DOC-2019-3 '{"reason":"superseded"}'
	ev $G publication.repealed 2028-04-01T10:00:00+08:00 NORM-2027-1 '{"reason":"expired"}'
	ev $G review.decided 2027-08-01T10:00:00+08:00 RV2026-004 '{"outcome":"corrected"}'
	ev $G newmedia.snapshot 2027-12-31T23:00:00+08:00 wechat-gl '{"views_total":130000,"followers":500}'
	ev $G newmedia.snapshot 2028-12-31T23:00:00+08:00 wechat-gl '{"views_total":170000,"followers":600}'

	# Template 2019: going live on 1 January 2020. 上一年项目数量 comes from
	# stats.reported of 2019, not from an opening balance.
	T=golive19-bureau
	ev $T opening.stated 2020-01-03T09:00:00+08:00 documents_in_force/regulation \
		'{"as_of":"2020-01-01T00:00:00+08:00","balance":"documents_in_force","category":"regulation","count":2}'
	ev $T opening.stated 2020-01-03T09:00:00+08:00 open_applications/AP2019-77 \
		'{"as_of":"2020-01-01T00:00:00+08:00","balance":"open_applications","applicant_class":"legal_service_org","item":"AP2019-77"}'
	ev $T application.closed 2020-03-01T10:00:00+08:00 AP2019-77 '{"outcome":"3.6.2"}'
	ev $T publication.published 2020-05-01T10:00:00+08:00 REG-2020-1 '{"category":"regulation","channel":"website"}'
	ev $T stats.reported 2020-01-05T09:00:00+08:00 permit/2019 '{"year":2019,"item":"permit","projects":10}'
	ev $T stats.reported 2021-01-05T09:00:00+08:00 permit/2020 '{"year":2020,"item":"permit","projects":12,"decisions":4}'

	# Contradicted: the balance says one natural person's application was
	# open at go-live, the detailed events show two; a document named in
	# force at go-live was first published after it; a named application
	# was received as another class; a named case was decided before
	# go-live; an account had more views before go-live than stated; the
	# regulation line was stated for another as_of and not restated.
	C=contra-bureau
	line $C 2027-01-04T09:00:00+08:00 open_applications/natural_person \
		'"balance":"open_applications","applicant_class":"natural_person","count":1'
	line $C 2027-01-04T09:00:00+08:00 documents_in_force/DOC-X \
		'"balance":"documents_in_force","category":"regulation","item":"DOC-X"'
	ev $C opening.stated 2027-01-02T09:00:00+08:00 documents_in_force/regulation \
		'{"as_of":"2026-07-01T00:00:00+08:00","balance":"documents_in_force","category":"regulation","count":7}'
	ev $C application.received 2026-10-01T10:00:00+08:00 AP-OLD-1 '{"applicant_class":"natural_person"}'
	ev $C application.received 2026-10-02T10:00:00+08:00 AP-OLD-2 '{"applicant_class":"natural_person"}'
	ev $C publication.published 2027-02-01T10:00:00+08:00 DOC-X '{"category":"regulation","channel":"website"}'
	line $C 2027-01-04T09:00:00+08:00 open_applications/AP-OLD-3 \
		'"balance":"open_applications","applicant_class":"natural_person","item":"AP-OLD-3"'
	ev $C application.received 2026-11-01T10:00:00+08:00 AP-OLD-3 '{"applicant_class":"commercial_enterprise"}'
	line $C 2027-01-04T09:00:00+08:00 open_reviews/RV-OLD \
		'"balance":"open_reviews","route":"reconsideration","item":"RV-OLD"'
	ev $C review.decided 2026-12-20T10:00:00+08:00 RV-OLD '{"outcome":"upheld"}'
	line $C 2027-01-04T09:00:00+08:00 newmedia_views/wx-c \
		'"balance":"newmedia_views","account":"wx-c","count":500'
	ev $C newmedia.snapshot 2026-12-01T10:00:00+08:00 wx-c '{"views_total":900,"followers":10}'
} >"$IT_WORK/events"
total=$(wc -l <"$IT_WORK/events")
it_ingest_lines "$IT_WORK/events" "${IT_TOPICS}stats"

it_eq "every event stored, none set aside" "$total|0" \
	"$(it_psql -c "SELECT (SELECT count(*) FROM disclosed.raw_event), (SELECT count(*) FROM disclosed.quarantine)")"
it_eq "opening statements stored in opening_stated" 20 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.opening_stated")"
it_eq "nine lines in force, the restated one counting 2 (not 5)" "9|2" \
	"$(it_psql -c "SELECT count(*), sum(count) FILTER (WHERE subject = 'open_applications/natural_person') FROM disclosed.opening_current WHERE agency = '$G'")"

json() { # agency year -> the JSON rendering (stored as a snapshot), exit status in rc
	"$REPORT" -c "$IT_WORK/d.conf" --year "$2" --agency "$1" --format json 2>"$IT_WORK/stderr-$1-$2" \
		>"$IT_WORK/$1-$2.json" && rc=0 || rc=$?
}
# expect FILE "jq path=value"...
expect() {
	local f=$1 kv
	shift
	for kv in "$@"; do
		# path=value, split at the last "=" (a path may hold "==")
		it_eq "$(basename "$f" .json) ${kv%=*}" "${kv##*=}" "$(jq -r "${kv%=*}" "$f")"
	done
}

# --- the go-live year --------------------------------------------------------
json $G 2027
it_eq "2027 exit status (every check holds)" 0 "$rc"
expect "$IT_WORK/$G-2027.json" \
	'.section3["1"].total=2' '.section3["1"].natural_person=1' '.section3["1"].research_institution=1' \
	'.section3["2"].total=4' '.section3["2"].natural_person=3' '.section3["2"].commercial_enterprise=1' \
	'.section3["3.1"].natural_person=1' '.section3["3.3.4"].commercial_enterprise=1' \
	'.section3["3.7"].total=2' \
	'.section3["4"].total=4' '.section3["4"].natural_person=3' '.section3["4"].research_institution=1' \
	'.section2.art20_1.regulation.made=1' '.section2.art20_1.regulation.in_force=4' \
	'.section2.art20_1.normative_document.repealed=1' '.section2.art20_1.normative_document.in_force=5' \
	'.section4.reconsideration.pending=1' '.section4.reconsideration.total=1' \
	'.section4.litigation_direct.corrected=1' '.section4.litigation_direct.total=1' \
	'.overview.new_media_views=30000' '.overview.new_media_followers=500' \
	'[.checks[] | select(.state == "failed")] | length=0' \
	'.checks[] | select(.id == "data.opening_contradicted") | .state=holds' \
	'.checks[] | select(.id == "data.application_closed_without_application") | .state=holds' \
	'.checks[] | select(.id == "data.review_decided_without_filing") | .state=holds' \
	'.checks[] | select(.id == "s3.balance") | .state=holds'

# --- a normal year after it ----------------------------------------------------
json $G 2028
it_eq "2028 exit status (every check holds)" 0 "$rc"
expect "$IT_WORK/$G-2028.json" \
	'.section3["1"].total=1' \
	'.section3["2"].total=4' '.section3["2"].natural_person=3' '.section3["2"].research_institution=1' \
	'.section3["3.2"].research_institution=1' '.section3["3.4.1"].natural_person=1' \
	'.section3["3.7"].total=2' '.section3["4"].total=3' '.section3["4"].natural_person=3' \
	'.section2.art20_1.regulation.in_force=4' \
	'.section2.art20_1.normative_document.repealed=1' '.section2.art20_1.normative_document.in_force=4' \
	'.section4.reconsideration.pending=1' '.section4.litigation_direct.total=0' \
	'.overview.new_media_views=40000' \
	'.checks[] | select(.id == "s3.carry_over") | .state=holds' \
	'.checks[] | select(.id == "s3.balance") | .state=holds'
# The same from the stored snapshots: row 2 of 2028 = row 4 of 2027 per column.
it_eq "stored snapshots: row 2 of 2028 = row 4 of 2027 in every column" 0 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.report_snapshot a
	                 JOIN disclosed.report_snapshot b ON b.agency = a.agency AND b.year = a.year + 1,
	                 jsonb_each(a.report->'section3'->'4') r4
	                WHERE a.agency = '$G' AND a.year = 2027
	                  AND r4.value IS DISTINCT FROM b.report->'section3'->'2'->r4.key")"
# Row 2 of the go-live year from the tables by hand: the stated lines in
# force (the unnamed natural_person line counts 2, the named ones 1 each)
# plus detailed receipts before 2027 still open (none).
it_eq "row 2 of 2027 by SQL from opening_current" \
	"$(jq -r '.section3["2"].total' "$IT_WORK/$G-2027.json")" \
	"$(it_psql -c "SELECT sum(count) FROM disclosed.opening_current WHERE agency = '$G' AND balance = 'open_applications'")"

# --- template 2019 ------------------------------------------------------------------
json $T 2020
it_eq "template 2019 go-live year: exit status" 0 "$rc"
expect "$IT_WORK/$T-2020.json" \
	'.template=2019' \
	'.section2.art20_1.regulation.made=1' '.section2.art20_1.regulation.published=1' \
	'.section2.art20_1.regulation.in_force=3' \
	'.section2.art20_5.permit.previous_projects=10' '.section2.art20_5.permit.change=2' \
	'.section2.art20_5.permit.decisions=4' \
	'.section3["2"].legal_service_org=1' '.section3["3.6"].legal_service_org=1' \
	'.section3["3.7"].total=1' '.section3["4"].total=0'

# --- contradicted ----------------------------------------------------------------
json contra-bureau 2027
it_eq "contradicted opening balance: exit status" 1 "$rc"
if grep -qF "check data.opening_contradicted FAILED: agency contra-bureau: 5 opening balance line(s) contradicted by the detailed events: documents_in_force/DOC-X (published after as_of); newmedia_views/wx-c (snapshot at 2026-12-01 10:00:00 has views_total 900); open_applications/AP-OLD-3 (received as commercial_enterprise); open_applications/natural_person (events show 2 before as_of, stated 1); open_reviews/RV-OLD (decided before as_of)" "$IT_WORK/stderr-contra-bureau-2027"; then
	it_pass "the contradicted lines are named, with why"
else
	it_fail "contradiction not named: $(cat "$IT_WORK/stderr-contra-bureau-2027")"
fi
expect "$IT_WORK/contra-bureau-2027.json" \
	'.checks[] | select(.id == "data.opening_contradicted") | .state=failed' \
	'.checks[] | select(.id == "data.opening_as_of_differs") | .state=failed' \
	'.section3["2"].natural_person=2'
if jq -r '.checks[] | select(.id == "data.opening_as_of_differs") | .where' "$IT_WORK/contra-bureau-2027.json" |
	grep -q "documents_in_force/regulation (as_of 2026-07-01 00:00:00, go-live 2027-01-01 00:00:00)"; then
	it_pass "the line stated for another as_of is named"
else
	it_fail "as_of line not named: $(jq -c '.checks' "$IT_WORK/contra-bureau-2027.json")"
fi
it_eq "the line with another as_of is not used (DOC-X alone is in force)" 1 \
	"$(jq -r '.section2.art20_1.regulation.in_force' "$IT_WORK/contra-bureau-2027.json")"

it_done
