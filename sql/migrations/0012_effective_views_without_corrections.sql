-- disclosed schema, migration 0012: the effective_* views of 0008, cheap
-- when no correction of a type is stored (README "Report cost"). Each view
-- reads its table's rows in one of two branches, chosen once per query by
-- whether any correction of the type exists (an uncorrelated EXISTS:
-- PostgreSQL evaluates it once and skips the other branch):
--   none: the table's rows as they are, so that a query on the view reads
--   only the columns it asks for (the (agency, subject, event_time) indexes
--   alone answer, as they did before corrections) and probes no
--   corrections per row;
--   some: as in 0008, the rows no correction applies to.
-- The replacements' branch is 0008's. The rows are the same in both cases.
-- Whether a type has corrections is one probe of the index below.
CREATE INDEX ON disclosed.event_correction (target_type);

CREATE OR REPLACE VIEW disclosed.effective_complaint_received AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.channel, t.category, t.complainant_name, t.complainant_phone,
       t.complainant_id_number,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.complaint_received t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_type = 'disclosure.complaint.received')
UNION ALL
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.channel, t.category, t.complainant_name, t.complainant_phone,
       t.complainant_id_number,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.complaint_received t
 WHERE EXISTS (SELECT 1 FROM disclosed.event_correction c
                WHERE c.target_type = 'disclosure.complaint.received')
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
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

CREATE OR REPLACE VIEW disclosed.effective_complaint_transferred AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.unit,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.complaint_transferred t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_type = 'disclosure.complaint.transferred')
UNION ALL
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.unit,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.complaint_transferred t
 WHERE EXISTS (SELECT 1 FROM disclosed.event_correction c
                WHERE c.target_type = 'disclosure.complaint.transferred')
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
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

CREATE OR REPLACE VIEW disclosed.effective_complaint_decided AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.accepted, t.reason,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.complaint_decided t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_type = 'disclosure.complaint.decided')
UNION ALL
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.accepted, t.reason,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.complaint_decided t
 WHERE EXISTS (SELECT 1 FROM disclosed.event_correction c
                WHERE c.target_type = 'disclosure.complaint.decided')
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
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

CREATE OR REPLACE VIEW disclosed.effective_complaint_closed AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.result,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.complaint_closed t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_type = 'disclosure.complaint.closed')
UNION ALL
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.result,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.complaint_closed t
 WHERE EXISTS (SELECT 1 FROM disclosed.event_correction c
                WHERE c.target_type = 'disclosure.complaint.closed')
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
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

CREATE OR REPLACE VIEW disclosed.effective_reception_held AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.leader, t.visitors, t.location,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.reception_held t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_type = 'disclosure.reception.held')
UNION ALL
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.leader, t.visitors, t.location,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.reception_held t
 WHERE EXISTS (SELECT 1 FROM disclosed.event_correction c
                WHERE c.target_type = 'disclosure.reception.held')
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
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

CREATE OR REPLACE VIEW disclosed.effective_publication_published AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.category, t.channel, t.title, t.account, t.made_at, t.session,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.publication_published t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_type = 'disclosure.publication.published')
UNION ALL
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.category, t.channel, t.title, t.account, t.made_at, t.session,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.publication_published t
 WHERE EXISTS (SELECT 1 FROM disclosed.event_correction c
                WHERE c.target_type = 'disclosure.publication.published')
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
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

CREATE OR REPLACE VIEW disclosed.effective_publication_repealed AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.reason,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.publication_repealed t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_type = 'disclosure.publication.repealed')
UNION ALL
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.reason,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.publication_repealed t
 WHERE EXISTS (SELECT 1 FROM disclosed.event_correction c
                WHERE c.target_type = 'disclosure.publication.repealed')
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
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

CREATE OR REPLACE VIEW disclosed.effective_newmedia_snapshot AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.views_total, t.followers, t.name,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.newmedia_snapshot t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_type = 'disclosure.newmedia.snapshot')
UNION ALL
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.views_total, t.followers, t.name,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.newmedia_snapshot t
 WHERE EXISTS (SELECT 1 FROM disclosed.event_correction c
                WHERE c.target_type = 'disclosure.newmedia.snapshot')
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
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

CREATE OR REPLACE VIEW disclosed.effective_application_received AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.applicant_class, t.channel, t.applicant_name, t.applicant_phone,
       t.applicant_id_number,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.application_received t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_type = 'disclosure.application.received')
UNION ALL
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.applicant_class, t.channel, t.applicant_name, t.applicant_phone,
       t.applicant_id_number,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.application_received t
 WHERE EXISTS (SELECT 1 FROM disclosed.event_correction c
                WHERE c.target_type = 'disclosure.application.received')
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
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

CREATE OR REPLACE VIEW disclosed.effective_application_closed AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.outcome,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.application_closed t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_type = 'disclosure.application.closed')
UNION ALL
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.outcome,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.application_closed t
 WHERE EXISTS (SELECT 1 FROM disclosed.event_correction c
                WHERE c.target_type = 'disclosure.application.closed')
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
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

CREATE OR REPLACE VIEW disclosed.effective_review_filed AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.route,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.review_filed t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_type = 'disclosure.review.filed')
UNION ALL
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.route,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.review_filed t
 WHERE EXISTS (SELECT 1 FROM disclosed.event_correction c
                WHERE c.target_type = 'disclosure.review.filed')
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
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

CREATE OR REPLACE VIEW disclosed.effective_review_decided AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.outcome,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.review_decided t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_type = 'disclosure.review.decided')
UNION ALL
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.outcome,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.review_decided t
 WHERE EXISTS (SELECT 1 FROM disclosed.event_correction c
                WHERE c.target_type = 'disclosure.review.decided')
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
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

CREATE OR REPLACE VIEW disclosed.effective_stats_reported AS
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.year, t.item, t.projects, t.decisions, t.amount,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.stats_reported t
 WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                    WHERE c.target_type = 'disclosure.stats.reported')
UNION ALL
SELECT t.source, t.event_id, t.agency, t.subject, t.event_time,
       t.year, t.item, t.projects, t.decisions, t.amount,
       NULL::text AS correction_source, NULL::text AS correction_id
  FROM disclosed.stats_reported t
 WHERE EXISTS (SELECT 1 FROM disclosed.event_correction c
                WHERE c.target_type = 'disclosure.stats.reported')
   AND NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
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
