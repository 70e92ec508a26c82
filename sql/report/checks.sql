-- Inconsistencies in the data of agency $1 (every agency when NULL) that
-- would make year $2's report wrong if counted silently, as (agency, check,
-- count, example subject); only checks that found something. Time zone $3.
-- application_outcome_3_6_in_template_2021 is found in every year; the
-- report uses it for template 2021 only, and names up to five subjects.
WITH b AS (
    SELECT make_timestamptz($2::int, 1, 1, 0, 0, 0, $3::text) AS y0,
           make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1
)
SELECT c.agency, 'application_closed_without_application', count(*), min(c.subject)
  FROM disclosed.application_closed c, b
 WHERE ($1::text IS NULL OR c.agency = $1) AND c.event_time < b.y1
   AND NOT EXISTS (SELECT 1 FROM disclosed.application_received r
                    WHERE r.agency = c.agency AND r.subject = c.subject)
   -- an application stated open at go-live (opening_section3.sql)
   AND NOT EXISTS (SELECT 1 FROM disclosed.opening_current o
                    WHERE o.agency = c.agency AND o.balance = 'open_applications'
                      AND o.item = c.subject)
 GROUP BY c.agency
UNION ALL
SELECT s.agency, 'application_closed_before_received', count(*), min(s.application_id)
  FROM disclosed.application_state s, b
 WHERE ($1::text IS NULL OR s.agency = $1) AND s.closed_at < s.received_at
   AND s.received_at < b.y1
 GROUP BY s.agency
UNION ALL
SELECT s.agency, 'application_closed_more_than_once', count(*), min(s.application_id)
  FROM disclosed.application_state s, b
 WHERE ($1::text IS NULL OR s.agency = $1) AND s.closings > 1 AND s.received_at < b.y1
 GROUP BY s.agency
UNION ALL
SELECT d.agency, 'review_decided_without_filing', count(*), min(d.subject)
  FROM disclosed.review_decided d, b
 WHERE ($1::text IS NULL OR d.agency = $1) AND d.event_time < b.y1
   AND NOT EXISTS (SELECT 1 FROM disclosed.review_filed f
                    WHERE f.agency = d.agency AND f.subject = d.subject)
   -- a case stated open at go-live (opening_section4.sql)
   AND NOT EXISTS (SELECT 1 FROM disclosed.opening_current o
                    WHERE o.agency = d.agency AND o.balance = 'open_reviews'
                      AND o.item = d.subject)
 GROUP BY d.agency
UNION ALL
SELECT x.agency, 'complaint_handled_without_receipt', count(*), min(x.subject)
  FROM (SELECT agency, subject, event_time FROM disclosed.complaint_transferred
        UNION ALL SELECT agency, subject, event_time FROM disclosed.complaint_decided
        UNION ALL SELECT agency, subject, event_time FROM disclosed.complaint_closed) x, b
 WHERE ($1::text IS NULL OR x.agency = $1) AND x.event_time < b.y1
   AND NOT EXISTS (SELECT 1 FROM disclosed.complaint_received r
                    WHERE r.agency = x.agency AND r.subject = x.subject)
 GROUP BY x.agency
UNION ALL
SELECT s.agency, 'application_outcome_3_6_in_template_2021', count(*),
       array_to_string((array_agg(s.application_id ORDER BY s.application_id))[1:5], ', ')
  FROM disclosed.application_state s, b
 WHERE ($1::text IS NULL OR s.agency = $1) AND s.outcome = '3.6'
   AND s.closed_at >= b.y0 AND s.closed_at < b.y1 AND s.received_at < b.y1
 GROUP BY s.agency;
