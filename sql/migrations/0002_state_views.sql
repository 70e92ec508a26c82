-- disclosed schema, migration 0002: lifecycle state derived from the
-- insert-only event tables. Because state is folded from all of a case's
-- events with a total order (event time, then source and id), it is the
-- same whatever order the events arrived in and however often.

-- A complaint: first receipt, first transfer, latest acceptance decision,
-- first closing.
CREATE VIEW disclosed.complaint_state AS
SELECT r.agency, r.subject AS case_no, r.event_time AS received_at, r.channel,
       t.event_time AS transferred_at, t.unit,
       d.event_time AS decided_at, d.accepted,
       c.event_time AS closed_at,
       CASE WHEN c.subject IS NOT NULL THEN 'closed'
            WHEN d.accepted THEN 'accepted'
            WHEN d.accepted IS NOT NULL THEN 'not_accepted'
            WHEN t.subject IS NOT NULL THEN 'transferred'
            ELSE 'received' END AS status
FROM (SELECT DISTINCT ON (agency, subject) agency, subject, event_time, channel
        FROM disclosed.complaint_received
       ORDER BY agency, subject, event_time, source, event_id) r
LEFT JOIN (SELECT DISTINCT ON (agency, subject) agency, subject, event_time, unit
             FROM disclosed.complaint_transferred
            ORDER BY agency, subject, event_time, source, event_id) t
       ON t.agency = r.agency AND t.subject = r.subject
LEFT JOIN (SELECT DISTINCT ON (agency, subject) agency, subject, event_time, accepted
             FROM disclosed.complaint_decided
            ORDER BY agency, subject, event_time DESC, source DESC, event_id DESC) d
       ON d.agency = r.agency AND d.subject = r.subject
LEFT JOIN (SELECT DISTINCT ON (agency, subject) agency, subject, event_time
             FROM disclosed.complaint_closed
            ORDER BY agency, subject, event_time, source, event_id) c
       ON c.agency = r.agency AND c.subject = r.subject;

-- A disclosure application: first receipt and first closing (an
-- application has exactly one outcome; extra closings are counted in
-- closings so that the report can flag them).
CREATE VIEW disclosed.application_state AS
SELECT r.agency, r.subject AS application_id, r.event_time AS received_at,
       r.applicant_class, c.event_time AS closed_at, c.outcome,
       coalesce(c.closings, 0) AS closings
FROM (SELECT DISTINCT ON (agency, subject) agency, subject, event_time, applicant_class
        FROM disclosed.application_received
       ORDER BY agency, subject, event_time, source, event_id) r
LEFT JOIN (SELECT DISTINCT ON (agency, subject) agency, subject, event_time, outcome,
                  count(*) OVER (PARTITION BY agency, subject) AS closings
             FROM disclosed.application_closed
            ORDER BY agency, subject, event_time, source, event_id) c
       ON c.agency = r.agency AND c.subject = r.subject;

-- A reconsideration or lawsuit: first filing, latest decision.
CREATE VIEW disclosed.review_state AS
SELECT f.agency, f.subject AS case_id, f.event_time AS filed_at, f.route,
       d.event_time AS decided_at, d.outcome
FROM (SELECT DISTINCT ON (agency, subject) agency, subject, event_time, route
        FROM disclosed.review_filed
       ORDER BY agency, subject, event_time, source, event_id) f
LEFT JOIN (SELECT DISTINCT ON (agency, subject) agency, subject, event_time, outcome
             FROM disclosed.review_decided
            ORDER BY agency, subject, event_time DESC, source DESC, event_id DESC) d
       ON d.agency = f.agency AND d.subject = f.subject;

-- Yearly administrative figures: the latest report per (agency, item, year).
CREATE VIEW disclosed.stats_current AS
SELECT DISTINCT ON (agency, item, year) agency, item, year, projects, decisions,
       amount, event_time AS reported_at
  FROM disclosed.stats_reported
 ORDER BY agency, item, year, event_time DESC, source DESC, event_id DESC;
