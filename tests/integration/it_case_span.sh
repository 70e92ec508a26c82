#!/usr/bin/env bash
# disclosed.case_span (migrations 0014, 0015, 0017) and disclosed.event_month (0016)
# against every way rows reach or leave the event tables, checked after each
# step by recomputing the spans from the effective views and the months from
# the stored events (it_spans, tests/fixtures/*-check.sql): rows written
# before the migration (its rebuild), one statement with several rows of a
# case, rows at the same instant ordered by source and id, a later but
# earlier-dated event, a correction before and after its target, DELETE of
# events and of a correction, TRUNCATE. The daemon's own writes are checked
# by it_corrections, it_report_history and it_lost_commits.
. "$(dirname "$0")/lib.sh"
it_services
it_config "$IT_WORK/d.conf"
sql() { it_psql -c "$1" >/dev/null; }
# ev TABLE ID AGENCY SUBJECT TIME COLUMNS VALUES: one row's values, as SQL.
ev() {
	printf "INSERT INTO disclosed.%s (source, event_id, agency, subject, event_time, %s,
	          topic, kafka_partition, kafka_offset, payload, binary_mode)
	        VALUES ('/t', '%s', '%s', '%s', '%s', %s, 't', 0, 0, '{}', false);\n" \
		"$1" "$6" "$2" "$3" "$4" "$5" "$7"
}
pub() { ev publication_published "$1" a "$2" "$3" "category, channel" "'$4', 'website'"; }

# Rows stored before 0014 (written here with the triggers off): the
# migrations compute their spans and months with case_span_rebuild() and
# event_month_rebuild().
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate >/dev/null
{
	echo "SET session_replication_role = replica;"
	pub p1 P1 '2021-03-01 10:00+08' notice
	pub p0 P1 '2021-02-01 10:00+08' regulation
	ev application_received r1 a A1 '2021-01-05 10:00+08' applicant_class "'natural_person'"
	ev application_closed c1 a A1 '2021-02-05 10:00+08' outcome "'3.1'"
} >"$IT_WORK/before.sql"
it_psql -f "$IT_WORK/before.sql" >/dev/null
it_eq "no spans while the triggers are off" 0 "$(it_psql -c "SELECT count(*) FROM disclosed.case_span")"
sql "SELECT disclosed.case_span_rebuild(), disclosed.event_month_rebuild()"
it_eq "migrated spans" "application|A1|natural_person|3.1 publication|P1|regulation| regulation|P1|regulation|" \
	"$(it_psql -c "SELECT kind, subject, opened_as, closed_as FROM disclosed.case_span ORDER BY 1, 2" | tr '\n' ' ' | sed 's/ $//')"
it_spans "after the migration"

# One statement, three rows of one case, two at the same instant: the
# first by (time, source, id) opens it.
sql "INSERT INTO disclosed.complaint_received (source, event_id, agency, subject, event_time, channel,
       topic, kafka_partition, kafka_offset, payload, binary_mode)
     VALUES ('/t', 'k3', 'a', 'K', '2021-05-01 10:00+08', 'letter', 't', 0, 0, '{}', false),
            ('/t', 'k2', 'a', 'K', '2021-04-01 10:00+08', 'visit', 't', 0, 0, '{}', false),
            ('/t', 'k1', 'a', 'K', '2021-04-01 10:00+08', 'online', 't', 0, 0, '{}', false)"
it_eq "same instant: the lower id opens" "online" \
	"$(it_psql -c "SELECT opened_as FROM disclosed.case_span WHERE kind = 'complaint' AND subject = 'K'")"
# Later statements: an earlier-dated receipt moves the span, a later one not.
it_psql -f <(ev complaint_received k0 a K '2021-03-01 10:00+08' channel "'phone'") >/dev/null
it_psql -f <(ev complaint_received k9 a K '2021-09-01 10:00+08' channel "'online'") >/dev/null
it_eq "an earlier receipt stored later opens it" "phone" \
	"$(it_psql -c "SELECT opened_as FROM disclosed.case_span WHERE kind = 'complaint' AND subject = 'K'")"
it_spans "after inserts"

# A complaint's first transfer and latest decision (migration 0015), the
# latter by (time, source, id) the other way round: a later statement's
# earlier transfer moves it, its earlier decision does not; of two
# decisions at one instant the higher id is the latest. A transfer of a
# complaint never received opens no span (opened_at stays empty).
tr() { ev complaint_transferred "$1" a "$2" "$3" unit "'u'"; }
dec() { ev complaint_decided "$1" a K "$2" accepted "$3"; }
it_psql -f <(tr t2 K '2021-06-01 10:00+08'; tr t1 K '2021-05-15 10:00+08') >/dev/null
it_psql -f <(tr t0 K '2021-05-10 10:00+08'; tr t9 KX '2021-05-10 10:00+08') >/dev/null
it_psql -f <(dec d1 '2021-06-01 10:00+08' true; dec d2 '2021-07-01 10:00+08' false) >/dev/null
it_psql -f <(dec d0 '2021-05-01 10:00+08' true) >/dev/null
it_psql -f <(dec d3 '2021-08-01 10:00+08' false; dec d4 '2021-08-01 10:00+08' true) >/dev/null
it_eq "first transfer, latest decision" "t0|d4|true" \
	"$(it_psql -c "SELECT transferred_id, decided_id, decided_as FROM disclosed.case_span
	                WHERE kind = 'complaint' AND subject = 'K'")"
it_eq "a transfer without a receipt: a span not opened" "|t9" \
	"$(it_psql -c "SELECT opened_at, transferred_id FROM disclosed.case_span
	                WHERE kind = 'complaint' AND subject = 'KX'")"
it_spans "after transfers and decisions"

# A correction before its target, and one after: P2's publication was a
# regulation; A1's closing is withdrawn, so A1 is open again.
fix() { # ID TARGET TYPE ACTION DATA SUBJECT
	sql "INSERT INTO disclosed.event_correction (source, event_id, agency, subject, event_time,
	       target_source, target_id, target_type, action, data,
	       topic, kafka_partition, kafka_offset, payload, binary_mode)
	     VALUES ('/t', '$1', 'a', '$6', '2022-01-05 10:00+08', '/t', '$2', 'disclosure.$3', '$4',
	             ${5:-NULL}, 't', 0, 0, '{}', false)"
}
fix x1 p2 publication.published replace "'{\"category\":\"regulation\",\"channel\":\"website\"}'" P2
it_psql -f <(pub p2 P2 '2021-06-01 10:00+08' notice) >/dev/null
fix x2 c1 application.closed withdraw "" A1
it_eq "corrected: P2 a regulation, A1 open" "regulation|" \
	"$(it_psql -c "SELECT (SELECT opened_as FROM disclosed.case_span WHERE kind = 'regulation' AND subject = 'P2'),
	                      (SELECT closed_as FROM disclosed.case_span WHERE kind = 'application' AND subject = 'A1')")"
# The latest decision withdrawn: the one before it at the same instant is.
fix x3 d4 complaint.decided withdraw "" K
it_eq "decision withdrawn: d3 the latest" "d3|false" \
	"$(it_psql -c "SELECT decided_id, decided_as FROM disclosed.case_span
	                WHERE kind = 'complaint' AND subject = 'K'")"
it_spans "after corrections"

# Rows taken away: the first event of P1, the correction of A1.
sql "DELETE FROM disclosed.publication_published WHERE event_id = 'p0'"
sql "DELETE FROM disclosed.event_correction WHERE event_id = 'x2'"
it_eq "after deletes: P1 opened as a notice, no regulation; A1 closed again" "notice||3.1" \
	"$(it_psql -c "SELECT (SELECT opened_as FROM disclosed.case_span WHERE kind = 'publication' AND subject = 'P1'),
	                      (SELECT opened_as FROM disclosed.case_span WHERE kind = 'regulation' AND subject = 'P1'),
	                      (SELECT closed_as FROM disclosed.case_span WHERE kind = 'application' AND subject = 'A1')")"
sql "DELETE FROM disclosed.complaint_transferred WHERE event_id = 't0'"
it_eq "first transfer deleted: t1" "t1" \
	"$(it_psql -c "SELECT transferred_id FROM disclosed.case_span WHERE kind = 'complaint' AND subject = 'K'")"
it_spans "after deletes"
# Migration 0020: the counts are deltas, a row per statement and key, that
# members insert without waiting for each other; span_month_compact folds
# each key's rows into one and changes no sum.
counts() {
	it_psql -c "SELECT count(*), count(DISTINCT (kind, agency, month, class)),
	                   count(*) FILTER (WHERE NOT folded) FROM disclosed.span_month"
}
IFS='|' read -r rows keys unfolded <<<"$(counts)"
if [ "$rows" -gt "$keys" ] && [ "$unfolded" -gt 0 ]; then
	it_pass "deltas before folding: $rows rows for $keys keys, $unfolded unfolded"
else
	it_fail "no deltas to fold: $rows rows for $keys keys, $unfolded unfolded"
fi
it_eq "folding takes away every row of the keys with deltas" \
	"$(it_psql -c "SELECT count(*) FROM disclosed.span_month m WHERE EXISTS (SELECT 1
	                FROM disclosed.span_month u WHERE NOT u.folded AND u.kind = m.kind
	                 AND u.agency = m.agency AND u.month = m.month AND u.class = m.class)")" \
	"$(it_psql -c "SELECT disclosed.span_month_compact()")"
IFS='|' read -r rows keys unfolded <<<"$(counts)"
it_eq "after folding: one row per key, none unfolded" "$keys|0" "$rows|$unfolded"
it_spans "after folding"
it_eq "folding again: nothing to fold" 0 "$(it_psql -c "SELECT disclosed.span_month_compact()")"
sql "TRUNCATE disclosed.complaint_received"
it_eq "after TRUNCATE of the receipts: no complaint opened, K's transfers kept" "0|1" \
	"$(it_psql -c "SELECT count(*) FILTER (WHERE opened_at IS NOT NULL),
	                      count(*) FILTER (WHERE subject = 'K' AND transferred_id = 't1')
	                 FROM disclosed.case_span WHERE kind = 'complaint'")"
it_spans "after TRUNCATE"
# Migration 0017: the stocks and each account's latest snapshot are read
# from their indexes alone; the index of the spans closed, which holds only
# those, still serves a range of closings. Vacuumed (the visibility map set, as autovacuum
# keeps it) and with neither a table scan nor a bitmap scan allowed, the
# planner takes an index-only scan only where the index covers the query.
it_psql -f - >/dev/null <<SQL
$(ev newmedia_snapshot n1 a S '2021-06-30 10:00+08' "views_total, followers" "100, 7")
SQL
sql "VACUUM disclosed.case_span"
sql "VACUUM disclosed.newmedia_snapshot"
plan() {
	it_psql -c "SET enable_seqscan = off; SET enable_bitmapscan = off; EXPLAIN $1" |
		grep -oE 'Index Only Scan( Backward)? using [a-z_]*' | sed 's/ Backward//' || true
}
it_eq "in force at a date: index only" "Index Only Scan using case_span_kind_opened_at_idx" \
	"$(plan "SELECT agency, opened_as, count(*) FROM disclosed.case_span
	          WHERE kind = 'regulation' AND opened_at < '2022-01-01'
	            AND (closed_at IS NULL OR closed_at >= '2022-01-01') GROUP BY 1, 2")"
it_eq "a range of closings: the index of the spans closed" "case_span_kind_closed_at_idx" \
	"$(it_psql -c "SET enable_seqscan = off; EXPLAIN SELECT count(*) FROM disclosed.case_span
	                WHERE kind = 'application' AND closed_at >= '2021-01-01'
	                  AND closed_at < '2022-01-01'" | grep -o 'case_span_kind_closed_at_idx' | sort -u)"
it_eq "an account's latest snapshot: index only" \
	"Index Only Scan using newmedia_snapshot_agency_subject_event_time_idx" \
	"$(plan "SELECT views_total, followers FROM disclosed.newmedia_snapshot
	          WHERE agency = 'a' AND subject = 'S' AND event_time < '2022-01-01'
	          ORDER BY event_time DESC LIMIT 1")"
it_done
