#!/usr/bin/env bash
# One identity across all types, through the real broker and database: an
# event whose (source, id) is stored under another type, read in a later
# batch by a restarted daemon, is quarantined as conflicting_duplicate
# naming the stored type, digest and lineage; nothing is stored for it; a
# re-delivery of the stored event stays a silent duplicate. Both orders.
. "$(dirname "$0")/lib.sh"
it_services
port=$(harness_free_port)
it_config "$IT_WORK/d.conf" "[metrics]" "listen = 127.0.0.1:$port"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
sent=0

# send TOPIC FILE: one message, consumed by a daemon started for it alone,
# so that each event meets the stored row in a batch of its own.
send() {
	"$EVTOOL" file -b "$KAFKA_BOOTSTRAP" -t "${IT_TOPICS}$1" "$2" >/dev/null
	sent=$((sent + 1))
	it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
	it_wait_offsets "$sent" 60 || it_fail "message $sent was not consumed"
}

complaint() { # id
	printf '{"specversion":"1.0","id":"%s","source":"/ident","type":"disclosure.complaint.received","time":"2021-03-02T09:15:00+08:00","subject":"TS-I1","agency":"yaodu-xinfang","data":{"channel":"online","category":"roads"}}\n' "$1"
}
application() { # id
	printf '{"specversion":"1.0","id":"%s","source":"/ident","type":"disclosure.application.received","time":"2021-03-01T10:00:00+08:00","subject":"AP-I1","agency":"yaodu-xinfang","data":{"applicant_class":"natural_person"}}\n' "$1"
}
lineage() { # table id: the stored row's digest and lineage as the reason gives them
	it_psql -c "SELECT 'stored_digest=' || encode(content_digest, 'hex') || ' stored_topic=' || topic || ' stored_partition=' || kafka_partition || ' stored_offset=' || kafka_offset FROM disclosed.$1 WHERE source = '/ident' AND event_id = '$2'"
}
quarantined() { # id
	it_psql -c "SELECT reason_code || ' ' || field || ' ' || event_type FROM disclosed.quarantine WHERE source = '/ident' AND event_id = '$1'"
}

# check FIRST_TOPIC FIRST_TABLE FIRST_TYPE SECOND_TABLE SECOND_TYPE ID: the
# second event, in its own run, is set aside naming the first.
check() {
	local topic1=$1 t1=$2 ty1=$3 t2=$4 ty2=$5 id=$6 stored reason
	stored=$(lineage "$t1" "$id")
	[ -n "$stored" ] || it_fail "$ty1 $id was not stored"
	it_eq "$ty2 $id reusing the identity of a stored $ty1 is quarantined" \
		"conflicting_duplicate id $ty2" "$(quarantined "$id")"
	reason=$(it_psql -c "SELECT reason FROM disclosed.quarantine WHERE source = '/ident' AND event_id = '$id'")
	case $reason in
	*"already stored as $ty1 with other content: digest="*"$stored")
		it_pass "the reason names the stored type, digest and lineage" ;;
	*) it_fail "the reason lacks the stored type, digest or lineage: $reason (stored: $stored)" ;;
	esac
	it_eq "nothing is stored for $ty2 $id" 0 \
		"$(it_psql -c "SELECT count(*) FROM disclosed.$t2 WHERE source = '/ident' AND event_id = '$id'")"
	it_eq "the identity is held once" 1 \
		"$(it_psql -c "SELECT count(*) FROM disclosed.event_identity WHERE source = '/ident' AND event_id = '$id'")"
	if it_wait_log "$IT_WORK/d.log" "reason=conflicting_duplicate.*stored as $ty1" 10; then
		it_pass "the conflict is logged"
	else
		it_fail "no log line for the conflict"
	fi
	sleep 1.5 # one housekeeping round after the last commit
	curl -sf "http://127.0.0.1:$port/metrics" >"$IT_WORK/metrics" || it_fail "GET /metrics"
	it_eq "disclosed_events_conflicting_total" "disclosed_events_conflicting_total 1" \
		"$(grep '^disclosed_events_conflicting_total' "$IT_WORK/metrics")"
	it_stop_daemon "$pid"
	# The first event again: a silent duplicate, as before.
	send "$topic1" "$IT_WORK/$id.first"
	it_eq "a re-delivery of the stored $ty1 is skipped silently" "1 1" \
		"$(it_psql -c "SELECT (SELECT count(*) FROM disclosed.quarantine WHERE event_id = '$id'), (SELECT count(*) FROM disclosed.$t1 WHERE event_id = '$id')" | tr '|' ' ')"
	sleep 1.5
	curl -sf "http://127.0.0.1:$port/metrics" >"$IT_WORK/metrics" || it_fail "GET /metrics"
	it_eq "the re-delivery counts as a duplicate" "disclosed_events_duplicate_total 1" \
		"$(grep '^disclosed_events_duplicate_total' "$IT_WORK/metrics")"
	it_stop_daemon "$pid"
}

# A complaint first, then an application under its identity.
complaint i-1 >"$IT_WORK/i-1.first"
application i-1 >"$IT_WORK/i-1.second"
send complaints "$IT_WORK/i-1.first"; it_stop_daemon "$pid"
send applications "$IT_WORK/i-1.second"
check complaints complaint_received disclosure.complaint.received \
	application_received disclosure.application.received i-1

# The reverse order.
application i-2 >"$IT_WORK/i-2.first"
complaint i-2 >"$IT_WORK/i-2.second"
send applications "$IT_WORK/i-2.first"; it_stop_daemon "$pid"
send complaints "$IT_WORK/i-2.second"
check applications application_received disclosure.application.received \
	complaint_received disclosure.complaint.received i-2

it_eq "nothing else was quarantined" 2 "$(it_psql -c "SELECT count(*) FROM disclosed.quarantine")"
it_done
