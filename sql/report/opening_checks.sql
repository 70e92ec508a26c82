-- Opening balances (view opening_current) that the detailed events
-- contradict, and lines left out because their as_of is not the agency's
-- go-live, for agency $1 (every agency when NULL); shaped like checks.sql:
-- (agency, check, count, the first few lines with why). Year $2 is not
-- used: a contradiction makes every report from go-live on wrong; times are
-- shown in time zone $3. The report names up to five lines (docs/events.md
-- §4.7). Only agencies with an opening balance are read, each through the
-- (agency, subject) indexes, so the check costs nothing to the others.
WITH g AS (
    SELECT * FROM disclosed.opening_go_live WHERE $1::text IS NULL OR agency = $1
),
oc AS (
    SELECT * FROM disclosed.opening_current WHERE $1::text IS NULL OR agency = $1
),
-- The detailed position at go-live, per class, route or category: first
-- receipt (filing, publication) before as_of, not closed (decided,
-- repealed) before it, and not named by a line.
app_open AS (
    SELECT g.agency, r.applicant_class AS q, count(*) AS n
      FROM g CROSS JOIN LATERAL (
            SELECT DISTINCT ON (x.subject) x.subject, x.applicant_class, x.event_time
              FROM disclosed.effective_application_received x
             WHERE x.agency = g.agency
             ORDER BY x.subject, x.event_time, x.source, x.event_id) r
     WHERE r.event_time < g.as_of
       AND NOT EXISTS (SELECT 1 FROM disclosed.effective_application_closed c
                        WHERE c.agency = g.agency AND c.subject = r.subject
                          AND c.event_time < g.as_of)
       AND NOT EXISTS (SELECT 1 FROM oc WHERE oc.agency = g.agency
                         AND oc.balance = 'open_applications' AND oc.item = r.subject)
     GROUP BY 1, 2
),
rev_open AS (
    SELECT g.agency, r.route AS q, count(*) AS n
      FROM g CROSS JOIN LATERAL (
            SELECT DISTINCT ON (x.subject) x.subject, x.route, x.event_time
              FROM disclosed.effective_review_filed x
             WHERE x.agency = g.agency
             ORDER BY x.subject, x.event_time, x.source, x.event_id) r
     WHERE r.event_time < g.as_of
       AND NOT EXISTS (SELECT 1 FROM disclosed.effective_review_decided d
                        WHERE d.agency = g.agency AND d.subject = r.subject
                          AND d.event_time < g.as_of)
       AND NOT EXISTS (SELECT 1 FROM oc WHERE oc.agency = g.agency
                         AND oc.balance = 'open_reviews' AND oc.item = r.subject)
     GROUP BY 1, 2
),
doc_open AS (
    SELECT g.agency, r.category AS q, count(*) AS n
      FROM g CROSS JOIN LATERAL (
            SELECT DISTINCT ON (x.subject) x.subject, x.category, x.event_time
              FROM disclosed.effective_publication_published x
             WHERE x.agency = g.agency
             ORDER BY x.subject, x.event_time, x.source, x.event_id) r
     WHERE r.category IN ('regulation', 'normative_document') AND r.event_time < g.as_of
       AND NOT EXISTS (SELECT 1 FROM disclosed.effective_publication_repealed d
                        WHERE d.agency = g.agency AND d.subject = r.subject
                          AND d.event_time < g.as_of)
       AND NOT EXISTS (SELECT 1 FROM oc WHERE oc.agency = g.agency
                         AND oc.balance = 'documents_in_force' AND oc.item = r.subject)
     GROUP BY 1, 2
),
detailed AS (
    SELECT agency, 'open_applications' AS balance, q, n FROM app_open
    UNION ALL SELECT agency, 'open_reviews', q, n FROM rev_open
    UNION ALL SELECT agency, 'documents_in_force', q, n FROM doc_open
),
-- A named line's own detailed events: first receipt (filing, publication)
-- and whether it was closed (decided, repealed) before as_of.
named AS (
    SELECT o.agency, o.subject, o.balance, o.as_of,
           coalesce(o.applicant_class, o.route, o.category) AS stated, f.at, f.q,
           EXISTS (SELECT 1 FROM disclosed.effective_application_closed c
                    WHERE o.balance = 'open_applications' AND c.agency = o.agency
                      AND c.subject = o.item AND c.event_time < o.as_of
                   UNION ALL
                   SELECT 1 FROM disclosed.effective_review_decided c
                    WHERE o.balance = 'open_reviews' AND c.agency = o.agency
                      AND c.subject = o.item AND c.event_time < o.as_of
                   UNION ALL
                   SELECT 1 FROM disclosed.effective_publication_repealed c
                    WHERE o.balance = 'documents_in_force' AND c.agency = o.agency
                      AND c.subject = o.item AND c.event_time < o.as_of) AS ended
      FROM oc o
      LEFT JOIN LATERAL (
            (SELECT x.event_time AS at, x.applicant_class AS q
               FROM disclosed.effective_application_received x
              WHERE o.balance = 'open_applications' AND x.agency = o.agency
                AND x.subject = o.item
              ORDER BY x.event_time, x.source, x.event_id LIMIT 1)
            UNION ALL
            (SELECT x.event_time, x.route FROM disclosed.effective_review_filed x
              WHERE o.balance = 'open_reviews' AND x.agency = o.agency AND x.subject = o.item
              ORDER BY x.event_time, x.source, x.event_id LIMIT 1)
            UNION ALL
            (SELECT x.event_time, x.category FROM disclosed.effective_publication_published x
              WHERE o.balance = 'documents_in_force' AND x.agency = o.agency
                AND x.subject = o.item
              ORDER BY x.event_time, x.source, x.event_id LIMIT 1)) f ON true
     WHERE o.item IS NOT NULL
),
why AS (
    -- More open (in force) at go-live than the count line states.
    SELECT d.agency, d.balance || '/' || d.q AS line,
           format('events show %s before as_of, stated %s', d.n,
                  coalesce(o.count, 0)) AS reason
      FROM detailed d
      LEFT JOIN oc o ON o.agency = d.agency AND o.balance = d.balance AND o.item IS NULL
                    AND coalesce(o.applicant_class, o.route, o.category) = d.q
     WHERE d.n > coalesce(o.count, 0)
       AND EXISTS (SELECT 1 FROM oc x WHERE x.agency = d.agency AND x.balance = d.balance)
    UNION ALL
    -- A named application (case, document) that began after go-live, ended
    -- before it, or is of another class (route, category).
    SELECT agency, subject,
           CASE WHEN at >= as_of THEN
                     CASE balance WHEN 'open_applications' THEN 'received'
                                  WHEN 'open_reviews' THEN 'filed'
                                  ELSE 'published' END || ' after as_of'
                WHEN ended THEN
                     CASE balance WHEN 'open_applications' THEN 'closed'
                                  WHEN 'open_reviews' THEN 'decided'
                                  ELSE 'repealed' END || ' before as_of'
                ELSE CASE balance WHEN 'open_applications' THEN 'received'
                                  WHEN 'open_reviews' THEN 'filed'
                                  ELSE 'published' END || ' as ' || q END
      FROM named
     WHERE at >= as_of OR ended OR q <> stated
    UNION ALL
    -- Cumulative views only grow: a snapshot before go-live above the
    -- stated views, or one after it below them.
    SELECT o.agency, o.subject,
           format('snapshot at %s has views_total %s',
                  to_char(s.event_time AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI:SS'),
                  s.views_total)
      FROM oc o
      JOIN LATERAL (SELECT event_time, views_total FROM disclosed.effective_newmedia_snapshot x
                     WHERE x.agency = o.agency AND x.subject = o.account
                       AND ((x.event_time < o.as_of AND x.views_total > o.count)
                            OR (x.event_time >= o.as_of AND x.views_total < o.count))
                     ORDER BY x.event_time LIMIT 1) s ON true
     WHERE o.balance = 'newmedia_views'
)
SELECT agency, 'opening_contradicted', count(*),
       array_to_string((array_agg(line || ' (' || reason || ')' ORDER BY line))[1:5], '; ')
  FROM why GROUP BY agency
UNION ALL
SELECT l.agency, 'opening_as_of_differs', count(*),
       array_to_string((array_agg(format('%s (as_of %s, go-live %s)', l.subject,
                                         to_char(l.as_of AT TIME ZONE $3::text,
                                                 'YYYY-MM-DD HH24:MI:SS'),
                                         to_char(g.as_of AT TIME ZONE $3::text,
                                                 'YYYY-MM-DD HH24:MI:SS'))
                                  ORDER BY l.subject))[1:5], '; ')
  FROM disclosed.opening_line l
  JOIN g ON g.agency = l.agency
 WHERE l.as_of <> g.as_of
 GROUP BY l.agency;
