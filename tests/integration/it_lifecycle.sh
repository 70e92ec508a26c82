#!/usr/bin/env bash
# Lifecycle state is right whatever order its events arrive in and however
# often: a complaint's and an application's events are sent newest first,
# twice, across partitions, and the derived state is the same as in order.
. "$(dirname "$0")/lib.sh"
it_services
it_config "$IT_WORK/d.conf"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
ev() { # id type time subject data
	printf '{"specversion":"1.0","id":"%s","source":"/it","type":"disclosure.%s","time":"%s","subject":"%s","agency":"it-agency","data":%s}\n' "$@"
}
{
	ev c1-close complaint.closed 2020-03-20T11:00:00+08:00 TS1 '{"result":"resolved"}'
	ev c1-dec2 complaint.decided 2020-03-04T10:00:00+08:00 TS1 '{"accepted":true}'
	ev c1-dec1 complaint.decided 2020-03-03T10:00:00+08:00 TS1 '{"accepted":false,"reason":"missing documents"}'
	ev c1-tr complaint.transferred 2020-03-02T16:00:00+08:00 TS1 '{"unit":"housing bureau"}'
	ev c1-rec complaint.received 2020-03-02T09:15:00+08:00 TS1 '{"channel":"online"}'
	ev c2-tr complaint.transferred 2020-12-31T23:50:00+08:00 TS2 '{"unit":"water bureau"}'
	ev c2-rec complaint.received 2020-12-31T23:30:00+08:00 TS2 '{"channel":"online"}'
	ev a1-close application.closed 2021-01-05T10:00:00+08:00 AP1 '{"outcome":"3.2"}'
	ev a1-rec application.received 2020-12-31T23:30:00+08:00 AP1 '{"applicant_class":"legal_service_org"}'
	ev r1-dec review.decided 2021-09-15T15:00:00+08:00 RV1 '{"outcome":"corrected"}'
	ev r1-file review.filed 2021-07-01T09:00:00+08:00 RV1 '{"route":"litigation_after_reconsideration"}'
} >"$IT_WORK/events"
# Reversed order on one topic, then again (duplicates) on another topic.
"$EVTOOL" lines -b "$KAFKA_BOOTSTRAP" -t "${IT_TOPICS}complaints" "$IT_WORK/events"
tac "$IT_WORK/events" >"$IT_WORK/events.rev"
"$EVTOOL" lines -b "$KAFKA_BOOTSTRAP" -t "${IT_TOPICS}applications" "$IT_WORK/events.rev"
"$EVTOOL" lines -b "$KAFKA_BOOTSTRAP" -t "${IT_TOPICS}reviews" "$IT_WORK/events"
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
it_wait_offsets 33 60 || true
it_stop_daemon "$pid"
it_eq "distinct events stored" 11 "$(it_psql -c 'SELECT count(*) FROM disclosed.raw_event')"
it_eq "complaint TS1 state" \
	"closed|2020-03-02 01:15:00+00|2020-03-02 08:00:00+00|housing bureau|t|2020-03-20 03:00:00+00" \
	"$(it_psql -c "SELECT status, received_at, transferred_at, unit, accepted, closed_at FROM disclosed.complaint_state WHERE case_no = 'TS1'")"
it_eq "complaint TS2 state (received 2020-12-31 23:30 +08:00)" "transferred|2020" \
	"$(it_psql -c "SELECT status, extract(year FROM received_at AT TIME ZONE 'Asia/Shanghai') FROM disclosed.complaint_state WHERE case_no = 'TS2'")"
it_eq "application AP1 state" "legal_service_org|3.2|1|2020|2021" \
	"$(it_psql -c "SELECT applicant_class, outcome, closings, extract(year FROM received_at AT TIME ZONE 'Asia/Shanghai'), extract(year FROM closed_at AT TIME ZONE 'Asia/Shanghai') FROM disclosed.application_state WHERE application_id = 'AP1'")"
it_eq "review RV1 state" "litigation_after_reconsideration|corrected" \
	"$(it_psql -c "SELECT route, outcome FROM disclosed.review_state WHERE case_id = 'RV1'")"
it_done
