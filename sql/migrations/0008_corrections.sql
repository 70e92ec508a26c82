-- disclosed schema, migration 0008: corrections and withdrawals by event
-- (docs/events.md, "Identity, duplicates, corrections"). Insert-only: a
-- stored event is never changed; a disclosure.event.corrected event is its
-- own row naming its target by identity (target_source, target_id) and
-- type, and the effective_* views apply the latest correction of each
-- target: withdrawn events are left out, replaced ones count with the
-- replacement's data, subject and fact time, under the original identity.
-- Every state view and report query reads the effective views, so the
-- result is the same whatever order an original and its corrections
-- arrive in.
CREATE TABLE disclosed.event_correction (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    target_source text NOT NULL, target_id text NOT NULL, target_type text NOT NULL,
    action text NOT NULL CHECK (action IN ('withdraw', 'replace')),
    fact_time timestamptz, data jsonb,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    content_digest bytea,
    PRIMARY KEY (source, event_id),
    -- The decoder enforces it; the table keeps it true for any writer.
    CHECK ((action = 'replace') = (data IS NOT NULL)));
-- A target's corrections are found by its identity; a case's replacements
-- by (agency, subject), as the report's lookups of a case go.
CREATE INDEX ON disclosed.event_correction (target_source, target_id);
CREATE INDEX ON disclosed.event_correction (agency, subject);

GRANT SELECT, INSERT ON disclosed.event_correction TO disclosed_writer;

-- The correction that counts for each target: the latest by (time, source,
-- id) among those of the target's type and agency (one of another type or
-- agency is a data check's finding, never applied).
CREATE VIEW disclosed.correction_current AS
SELECT DISTINCT ON (target_type, target_source, target_id, agency)
       source, event_id, agency, subject, event_time, target_source, target_id,
       target_type, action, fact_time, data
  FROM disclosed.event_correction
 ORDER BY target_type, target_source, target_id, agency,
          event_time DESC, source DESC, event_id DESC;

-- The effective facts of each event type: (a) the stored events no
-- correction applies to, (b) the replacements, as typed columns from the
-- stored canonical data, under the original's identity, with the
-- correction's own identity in correction_source, correction_id. A UNION
-- ALL rather than a join with coalesce, so that a predicate on agency or
-- event_time reaches the scan of the event table (its indexes) untouched;
-- the correction side is small. (b) takes the current correction as "no
-- later one" (correction_current's rule) rather than from that view: a
-- report query that reads a view once per row (a correlated subquery)
-- then probes the corrections instead of sorting them each time.
CREATE VIEW disclosed.effective_complaint_received AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.channel, t.category, t.complainant_name, t.complainant_phone,
       t.complainant_id_number,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.complaint_received t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_source = t.source AND c.target_id = t.event_id
                      AND c.target_type = 'disclosure.complaint.received' AND c.agency = t.agency)
UNION ALL
SELECT t.source, t.event_id, t.agency, c.subject, coalesce(c.fact_time, t.event_time),
       c.data ->> 'channel', c.data ->> 'category', c.data ->> 'complainant_name',
       c.data ->> 'complainant_phone', c.data ->> 'complainant_id_number',
       c.source, c.event_id
  FROM disclosed.event_correction c
  JOIN disclosed.complaint_received t
    ON t.source = c.target_source AND t.event_id = c.target_id AND t.agency = c.agency
 WHERE c.target_type = 'disclosure.complaint.received' AND c.action = 'replace'
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction l
                    WHERE l.target_source = c.target_source AND l.target_id = c.target_id
                      AND l.target_type = c.target_type AND l.agency = c.agency
                      AND (l.event_time, l.source, l.event_id)
                          > (c.event_time, c.source, c.event_id));

CREATE VIEW disclosed.effective_complaint_transferred AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.unit,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.complaint_transferred t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_source = t.source AND c.target_id = t.event_id
                      AND c.target_type = 'disclosure.complaint.transferred' AND c.agency = t.agency)
UNION ALL
SELECT t.source, t.event_id, t.agency, c.subject, coalesce(c.fact_time, t.event_time),
       c.data ->> 'unit',
       c.source, c.event_id
  FROM disclosed.event_correction c
  JOIN disclosed.complaint_transferred t
    ON t.source = c.target_source AND t.event_id = c.target_id AND t.agency = c.agency
 WHERE c.target_type = 'disclosure.complaint.transferred' AND c.action = 'replace'
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction l
                    WHERE l.target_source = c.target_source AND l.target_id = c.target_id
                      AND l.target_type = c.target_type AND l.agency = c.agency
                      AND (l.event_time, l.source, l.event_id)
                          > (c.event_time, c.source, c.event_id));

CREATE VIEW disclosed.effective_complaint_decided AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.accepted, t.reason,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.complaint_decided t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_source = t.source AND c.target_id = t.event_id
                      AND c.target_type = 'disclosure.complaint.decided' AND c.agency = t.agency)
UNION ALL
SELECT t.source, t.event_id, t.agency, c.subject, coalesce(c.fact_time, t.event_time),
       (c.data ->> 'accepted')::boolean, c.data ->> 'reason',
       c.source, c.event_id
  FROM disclosed.event_correction c
  JOIN disclosed.complaint_decided t
    ON t.source = c.target_source AND t.event_id = c.target_id AND t.agency = c.agency
 WHERE c.target_type = 'disclosure.complaint.decided' AND c.action = 'replace'
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction l
                    WHERE l.target_source = c.target_source AND l.target_id = c.target_id
                      AND l.target_type = c.target_type AND l.agency = c.agency
                      AND (l.event_time, l.source, l.event_id)
                          > (c.event_time, c.source, c.event_id));

CREATE VIEW disclosed.effective_complaint_closed AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.result,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.complaint_closed t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_source = t.source AND c.target_id = t.event_id
                      AND c.target_type = 'disclosure.complaint.closed' AND c.agency = t.agency)
UNION ALL
SELECT t.source, t.event_id, t.agency, c.subject, coalesce(c.fact_time, t.event_time),
       c.data ->> 'result',
       c.source, c.event_id
  FROM disclosed.event_correction c
  JOIN disclosed.complaint_closed t
    ON t.source = c.target_source AND t.event_id = c.target_id AND t.agency = c.agency
 WHERE c.target_type = 'disclosure.complaint.closed' AND c.action = 'replace'
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction l
                    WHERE l.target_source = c.target_source AND l.target_id = c.target_id
                      AND l.target_type = c.target_type AND l.agency = c.agency
                      AND (l.event_time, l.source, l.event_id)
                          > (c.event_time, c.source, c.event_id));

CREATE VIEW disclosed.effective_reception_held AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.leader, t.visitors, t.location,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.reception_held t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_source = t.source AND c.target_id = t.event_id
                      AND c.target_type = 'disclosure.reception.held' AND c.agency = t.agency)
UNION ALL
SELECT t.source, t.event_id, t.agency, c.subject, coalesce(c.fact_time, t.event_time),
       c.data ->> 'leader', (c.data ->> 'visitors')::integer, c.data ->> 'location',
       c.source, c.event_id
  FROM disclosed.event_correction c
  JOIN disclosed.reception_held t
    ON t.source = c.target_source AND t.event_id = c.target_id AND t.agency = c.agency
 WHERE c.target_type = 'disclosure.reception.held' AND c.action = 'replace'
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction l
                    WHERE l.target_source = c.target_source AND l.target_id = c.target_id
                      AND l.target_type = c.target_type AND l.agency = c.agency
                      AND (l.event_time, l.source, l.event_id)
                          > (c.event_time, c.source, c.event_id));

CREATE VIEW disclosed.effective_publication_published AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.category, t.channel, t.title, t.account, t.made_at, t.session,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.publication_published t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_source = t.source AND c.target_id = t.event_id
                      AND c.target_type = 'disclosure.publication.published' AND c.agency = t.agency)
UNION ALL
SELECT t.source, t.event_id, t.agency, c.subject, coalesce(c.fact_time, t.event_time),
       c.data ->> 'category', c.data ->> 'channel', c.data ->> 'title',
       c.data ->> 'account', (c.data ->> 'made_at')::timestamptz, c.data ->> 'session',
       c.source, c.event_id
  FROM disclosed.event_correction c
  JOIN disclosed.publication_published t
    ON t.source = c.target_source AND t.event_id = c.target_id AND t.agency = c.agency
 WHERE c.target_type = 'disclosure.publication.published' AND c.action = 'replace'
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction l
                    WHERE l.target_source = c.target_source AND l.target_id = c.target_id
                      AND l.target_type = c.target_type AND l.agency = c.agency
                      AND (l.event_time, l.source, l.event_id)
                          > (c.event_time, c.source, c.event_id));

CREATE VIEW disclosed.effective_publication_repealed AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.reason,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.publication_repealed t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_source = t.source AND c.target_id = t.event_id
                      AND c.target_type = 'disclosure.publication.repealed' AND c.agency = t.agency)
UNION ALL
SELECT t.source, t.event_id, t.agency, c.subject, coalesce(c.fact_time, t.event_time),
       c.data ->> 'reason',
       c.source, c.event_id
  FROM disclosed.event_correction c
  JOIN disclosed.publication_repealed t
    ON t.source = c.target_source AND t.event_id = c.target_id AND t.agency = c.agency
 WHERE c.target_type = 'disclosure.publication.repealed' AND c.action = 'replace'
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction l
                    WHERE l.target_source = c.target_source AND l.target_id = c.target_id
                      AND l.target_type = c.target_type AND l.agency = c.agency
                      AND (l.event_time, l.source, l.event_id)
                          > (c.event_time, c.source, c.event_id));

CREATE VIEW disclosed.effective_newmedia_snapshot AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.views_total, t.followers, t.name,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.newmedia_snapshot t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_source = t.source AND c.target_id = t.event_id
                      AND c.target_type = 'disclosure.newmedia.snapshot' AND c.agency = t.agency)
UNION ALL
SELECT t.source, t.event_id, t.agency, c.subject, coalesce(c.fact_time, t.event_time),
       (c.data ->> 'views_total')::bigint, (c.data ->> 'followers')::bigint,
       c.data ->> 'name',
       c.source, c.event_id
  FROM disclosed.event_correction c
  JOIN disclosed.newmedia_snapshot t
    ON t.source = c.target_source AND t.event_id = c.target_id AND t.agency = c.agency
 WHERE c.target_type = 'disclosure.newmedia.snapshot' AND c.action = 'replace'
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction l
                    WHERE l.target_source = c.target_source AND l.target_id = c.target_id
                      AND l.target_type = c.target_type AND l.agency = c.agency
                      AND (l.event_time, l.source, l.event_id)
                          > (c.event_time, c.source, c.event_id));

CREATE VIEW disclosed.effective_application_received AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.applicant_class, t.channel, t.applicant_name, t.applicant_phone,
       t.applicant_id_number,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.application_received t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_source = t.source AND c.target_id = t.event_id
                      AND c.target_type = 'disclosure.application.received' AND c.agency = t.agency)
UNION ALL
SELECT t.source, t.event_id, t.agency, c.subject, coalesce(c.fact_time, t.event_time),
       c.data ->> 'applicant_class', c.data ->> 'channel', c.data ->> 'applicant_name',
       c.data ->> 'applicant_phone', c.data ->> 'applicant_id_number',
       c.source, c.event_id
  FROM disclosed.event_correction c
  JOIN disclosed.application_received t
    ON t.source = c.target_source AND t.event_id = c.target_id AND t.agency = c.agency
 WHERE c.target_type = 'disclosure.application.received' AND c.action = 'replace'
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction l
                    WHERE l.target_source = c.target_source AND l.target_id = c.target_id
                      AND l.target_type = c.target_type AND l.agency = c.agency
                      AND (l.event_time, l.source, l.event_id)
                          > (c.event_time, c.source, c.event_id));

CREATE VIEW disclosed.effective_application_closed AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.outcome,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.application_closed t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_source = t.source AND c.target_id = t.event_id
                      AND c.target_type = 'disclosure.application.closed' AND c.agency = t.agency)
UNION ALL
SELECT t.source, t.event_id, t.agency, c.subject, coalesce(c.fact_time, t.event_time),
       c.data ->> 'outcome',
       c.source, c.event_id
  FROM disclosed.event_correction c
  JOIN disclosed.application_closed t
    ON t.source = c.target_source AND t.event_id = c.target_id AND t.agency = c.agency
 WHERE c.target_type = 'disclosure.application.closed' AND c.action = 'replace'
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction l
                    WHERE l.target_source = c.target_source AND l.target_id = c.target_id
                      AND l.target_type = c.target_type AND l.agency = c.agency
                      AND (l.event_time, l.source, l.event_id)
                          > (c.event_time, c.source, c.event_id));

CREATE VIEW disclosed.effective_review_filed AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.route,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.review_filed t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_source = t.source AND c.target_id = t.event_id
                      AND c.target_type = 'disclosure.review.filed' AND c.agency = t.agency)
UNION ALL
SELECT t.source, t.event_id, t.agency, c.subject, coalesce(c.fact_time, t.event_time),
       c.data ->> 'route',
       c.source, c.event_id
  FROM disclosed.event_correction c
  JOIN disclosed.review_filed t
    ON t.source = c.target_source AND t.event_id = c.target_id AND t.agency = c.agency
 WHERE c.target_type = 'disclosure.review.filed' AND c.action = 'replace'
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction l
                    WHERE l.target_source = c.target_source AND l.target_id = c.target_id
                      AND l.target_type = c.target_type AND l.agency = c.agency
                      AND (l.event_time, l.source, l.event_id)
                          > (c.event_time, c.source, c.event_id));

CREATE VIEW disclosed.effective_review_decided AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.outcome,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.review_decided t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_source = t.source AND c.target_id = t.event_id
                      AND c.target_type = 'disclosure.review.decided' AND c.agency = t.agency)
UNION ALL
SELECT t.source, t.event_id, t.agency, c.subject, coalesce(c.fact_time, t.event_time),
       c.data ->> 'outcome',
       c.source, c.event_id
  FROM disclosed.event_correction c
  JOIN disclosed.review_decided t
    ON t.source = c.target_source AND t.event_id = c.target_id AND t.agency = c.agency
 WHERE c.target_type = 'disclosure.review.decided' AND c.action = 'replace'
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction l
                    WHERE l.target_source = c.target_source AND l.target_id = c.target_id
                      AND l.target_type = c.target_type AND l.agency = c.agency
                      AND (l.event_time, l.source, l.event_id)
                          > (c.event_time, c.source, c.event_id));

CREATE VIEW disclosed.effective_stats_reported AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.year, t.item, t.projects, t.decisions, t.amount,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.stats_reported t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_source = t.source AND c.target_id = t.event_id
                      AND c.target_type = 'disclosure.stats.reported' AND c.agency = t.agency)
UNION ALL
SELECT t.source, t.event_id, t.agency, c.subject, coalesce(c.fact_time, t.event_time),
       (c.data ->> 'year')::integer, c.data ->> 'item', (c.data ->> 'projects')::integer,
       (c.data ->> 'decisions')::integer, (c.data ->> 'amount')::numeric(20,6),
       c.source, c.event_id
  FROM disclosed.event_correction c
  JOIN disclosed.stats_reported t
    ON t.source = c.target_source AND t.event_id = c.target_id AND t.agency = c.agency
 WHERE c.target_type = 'disclosure.stats.reported' AND c.action = 'replace'
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction l
                    WHERE l.target_source = c.target_source AND l.target_id = c.target_id
                      AND l.target_type = c.target_type AND l.agency = c.agency
                      AND (l.event_time, l.source, l.event_id)
                          > (c.event_time, c.source, c.event_id));

-- Every effective fact in one place (which agencies have data in a year).
CREATE VIEW disclosed.effective_event AS
SELECT 'disclosure.complaint.received'::text AS type, source, event_id, agency, subject, event_time
  FROM disclosed.effective_complaint_received
UNION ALL
SELECT 'disclosure.complaint.transferred'::text AS type, source, event_id, agency, subject, event_time
  FROM disclosed.effective_complaint_transferred
UNION ALL
SELECT 'disclosure.complaint.decided'::text AS type, source, event_id, agency, subject, event_time
  FROM disclosed.effective_complaint_decided
UNION ALL
SELECT 'disclosure.complaint.closed'::text AS type, source, event_id, agency, subject, event_time
  FROM disclosed.effective_complaint_closed
UNION ALL
SELECT 'disclosure.reception.held'::text AS type, source, event_id, agency, subject, event_time
  FROM disclosed.effective_reception_held
UNION ALL
SELECT 'disclosure.publication.published'::text AS type, source, event_id, agency, subject, event_time
  FROM disclosed.effective_publication_published
UNION ALL
SELECT 'disclosure.publication.repealed'::text AS type, source, event_id, agency, subject, event_time
  FROM disclosed.effective_publication_repealed
UNION ALL
SELECT 'disclosure.newmedia.snapshot'::text AS type, source, event_id, agency, subject, event_time
  FROM disclosed.effective_newmedia_snapshot
UNION ALL
SELECT 'disclosure.application.received'::text AS type, source, event_id, agency, subject, event_time
  FROM disclosed.effective_application_received
UNION ALL
SELECT 'disclosure.application.closed'::text AS type, source, event_id, agency, subject, event_time
  FROM disclosed.effective_application_closed
UNION ALL
SELECT 'disclosure.review.filed'::text AS type, source, event_id, agency, subject, event_time
  FROM disclosed.effective_review_filed
UNION ALL
SELECT 'disclosure.review.decided'::text AS type, source, event_id, agency, subject, event_time
  FROM disclosed.effective_review_decided
UNION ALL
SELECT 'disclosure.stats.reported'::text AS type, source, event_id, agency, subject, event_time
  FROM disclosed.effective_stats_reported;

-- The state views of migration 0002, on the effective facts.
-- A complaint: first receipt, first transfer, latest acceptance decision,
-- first closing.
CREATE OR REPLACE VIEW disclosed.complaint_state AS
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
        FROM disclosed.effective_complaint_received
       ORDER BY agency, subject, event_time, source, event_id) r
LEFT JOIN (SELECT DISTINCT ON (agency, subject) agency, subject, event_time, unit
             FROM disclosed.effective_complaint_transferred
            ORDER BY agency, subject, event_time, source, event_id) t
       ON t.agency = r.agency AND t.subject = r.subject
LEFT JOIN (SELECT DISTINCT ON (agency, subject) agency, subject, event_time, accepted
             FROM disclosed.effective_complaint_decided
            ORDER BY agency, subject, event_time DESC, source DESC, event_id DESC) d
       ON d.agency = r.agency AND d.subject = r.subject
LEFT JOIN (SELECT DISTINCT ON (agency, subject) agency, subject, event_time
             FROM disclosed.effective_complaint_closed
            ORDER BY agency, subject, event_time, source, event_id) c
       ON c.agency = r.agency AND c.subject = r.subject;

-- A disclosure application: first receipt and first closing (an
-- application has exactly one outcome; extra closings are counted in
-- closings so that the report can flag them).
CREATE OR REPLACE VIEW disclosed.application_state AS
SELECT r.agency, r.subject AS application_id, r.event_time AS received_at,
       r.applicant_class, c.event_time AS closed_at, c.outcome,
       coalesce(c.closings, 0) AS closings
FROM (SELECT DISTINCT ON (agency, subject) agency, subject, event_time, applicant_class
        FROM disclosed.effective_application_received
       ORDER BY agency, subject, event_time, source, event_id) r
LEFT JOIN (SELECT DISTINCT ON (agency, subject) agency, subject, event_time, outcome,
                  count(*) OVER (PARTITION BY agency, subject) AS closings
             FROM disclosed.effective_application_closed
            ORDER BY agency, subject, event_time, source, event_id) c
       ON c.agency = r.agency AND c.subject = r.subject;

-- A reconsideration or lawsuit: first filing, latest decision.
CREATE OR REPLACE VIEW disclosed.review_state AS
SELECT f.agency, f.subject AS case_id, f.event_time AS filed_at, f.route,
       d.event_time AS decided_at, d.outcome
FROM (SELECT DISTINCT ON (agency, subject) agency, subject, event_time, route
        FROM disclosed.effective_review_filed
       ORDER BY agency, subject, event_time, source, event_id) f
LEFT JOIN (SELECT DISTINCT ON (agency, subject) agency, subject, event_time, outcome
             FROM disclosed.effective_review_decided
            ORDER BY agency, subject, event_time DESC, source DESC, event_id DESC) d
       ON d.agency = f.agency AND d.subject = f.subject;

-- Yearly administrative figures: the latest report per (agency, item, year).
CREATE OR REPLACE VIEW disclosed.stats_current AS
SELECT DISTINCT ON (agency, item, year) agency, item, year, projects, decisions,
       amount, event_time AS reported_at
  FROM disclosed.effective_stats_reported
 ORDER BY agency, item, year, event_time DESC, source DESC, event_id DESC;

-- Each correction with what it found (report data checks and the list of
-- corrections a year's report applied): its target as stored (of any
-- type: the target_type may be wrong; looked up in the event tables
-- themselves, not in raw_event, which need not list every table), whether
-- it is the target's current correction, and what is wrong with it.
-- Computed at read time, so the same whatever order events arrived in.
CREATE VIEW disclosed.correction_status AS
WITH o AS (
    SELECT c.*,
           lag(c.action) OVER w AS previous_action,
           row_number() OVER (PARTITION BY c.target_type, c.target_source, c.target_id,
                                           c.agency
                              ORDER BY c.event_time DESC, c.source DESC,
                                       c.event_id DESC) = 1 AS is_current
      FROM disclosed.event_correction c
    WINDOW w AS (PARTITION BY c.target_type, c.target_source, c.target_id, c.agency
                 ORDER BY c.event_time, c.source, c.event_id)
)
SELECT o.source, o.event_id, o.agency, o.subject, o.event_time, o.target_source,
       o.target_id, o.target_type, o.action, o.fact_time, o.data, o.is_current,
       t.type AS found_type, t.agency AS found_agency, t.subject AS found_subject,
       t.event_time AS found_time, s.year AS found_year,
       t.type IS NULL AS unknown_target,
       t.type <> o.target_type AS type_changed,
       t.type = o.target_type AND t.agency <> o.agency AS agency_changed,
       o.action = 'withdraw' AND o.previous_action = 'withdraw' AS second_withdrawal
  FROM o
  LEFT JOIN LATERAL (
        SELECT r.type, r.agency, r.subject, r.event_time
          FROM (SELECT 'disclosure.complaint.received'::text AS type, source, event_id, agency,
                       subject, event_time FROM disclosed.complaint_received
              UNION ALL SELECT 'disclosure.complaint.transferred', source, event_id, agency, subject, event_time
                  FROM disclosed.complaint_transferred
              UNION ALL SELECT 'disclosure.complaint.decided', source, event_id, agency, subject, event_time
                  FROM disclosed.complaint_decided
              UNION ALL SELECT 'disclosure.complaint.closed', source, event_id, agency, subject, event_time
                  FROM disclosed.complaint_closed
              UNION ALL SELECT 'disclosure.reception.held', source, event_id, agency, subject, event_time
                  FROM disclosed.reception_held
              UNION ALL SELECT 'disclosure.publication.published', source, event_id, agency, subject, event_time
                  FROM disclosed.publication_published
              UNION ALL SELECT 'disclosure.publication.repealed', source, event_id, agency, subject, event_time
                  FROM disclosed.publication_repealed
              UNION ALL SELECT 'disclosure.newmedia.snapshot', source, event_id, agency, subject, event_time
                  FROM disclosed.newmedia_snapshot
              UNION ALL SELECT 'disclosure.application.received', source, event_id, agency, subject, event_time
                  FROM disclosed.application_received
              UNION ALL SELECT 'disclosure.application.closed', source, event_id, agency, subject, event_time
                  FROM disclosed.application_closed
              UNION ALL SELECT 'disclosure.review.filed', source, event_id, agency, subject, event_time
                  FROM disclosed.review_filed
              UNION ALL SELECT 'disclosure.review.decided', source, event_id, agency, subject, event_time
                  FROM disclosed.review_decided
              UNION ALL SELECT 'disclosure.stats.reported', source, event_id, agency, subject, event_time
                  FROM disclosed.stats_reported
              UNION ALL SELECT 'disclosure.event.corrected', source, event_id, agency, subject, event_time
                  FROM disclosed.event_correction) r
         WHERE r.source = o.target_source AND r.event_id = o.target_id
         ORDER BY r.type = o.target_type DESC, r.agency = o.agency DESC
         LIMIT 1) t ON true
  LEFT JOIN disclosed.stats_reported s
    ON o.target_type = 'disclosure.stats.reported' AND s.source = o.target_source
   AND s.event_id = o.target_id AND s.agency = o.agency;
