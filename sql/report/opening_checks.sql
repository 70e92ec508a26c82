-- Opening balances (view opening_current) that the detailed events
-- contradict, and lines left out because their as_of is not the agency's
-- go-live, for agency $1 (every agency when NULL); shaped like checks.sql:
-- (agency, check, count, the first few lines with why). Year $2 is not
-- used: a contradiction makes every report from go-live on wrong; times are
-- shown in time zone $3. The report names up to five lines (docs/events.md
-- §4.7).
WITH oc AS (
    SELECT * FROM disclosed.opening_current WHERE $1::text IS NULL OR agency = $1
),
-- The detailed position at each agency's go-live, per class, route or
-- category: open then, and not named by a line.
app_open AS (
    SELECT g.agency, s.applicant_class AS q, count(*) AS n
      FROM disclosed.opening_go_live g
      JOIN disclosed.application_state s ON s.agency = g.agency
     WHERE ($1::text IS NULL OR s.agency = $1)
       AND s.received_at < g.as_of AND (s.closed_at IS NULL OR s.closed_at >= g.as_of)
       AND NOT EXISTS (SELECT 1 FROM oc WHERE oc.agency = s.agency
                         AND oc.balance = 'open_applications' AND oc.item = s.application_id)
     GROUP BY 1, 2
),
rev_open AS (
    SELECT g.agency, s.route AS q, count(*) AS n
      FROM disclosed.opening_go_live g
      JOIN disclosed.review_state s ON s.agency = g.agency
     WHERE ($1::text IS NULL OR s.agency = $1) AND s.filed_at < g.as_of
       AND NOT EXISTS (SELECT 1 FROM disclosed.review_decided d WHERE d.agency = s.agency
                         AND d.subject = s.case_id AND d.event_time < g.as_of)
       AND NOT EXISTS (SELECT 1 FROM oc WHERE oc.agency = s.agency
                         AND oc.balance = 'open_reviews' AND oc.item = s.case_id)
     GROUP BY 1, 2
),
doc AS (
    SELECT p.agency, p.subject, p.category, p.event_time AS published_at,
           (SELECT min(r.event_time) FROM disclosed.publication_repealed r
             WHERE r.agency = p.agency AND r.subject = p.subject) AS repealed_at
      FROM (SELECT DISTINCT ON (agency, subject) agency, subject, category, event_time
              FROM disclosed.publication_published
             WHERE ($1::text IS NULL OR agency = $1)
               AND category IN ('regulation', 'normative_document')
             ORDER BY agency, subject, event_time, source, event_id) p
),
doc_open AS (
    SELECT g.agency, d.category AS q, count(*) AS n
      FROM disclosed.opening_go_live g JOIN doc d ON d.agency = g.agency
     WHERE d.published_at < g.as_of AND (d.repealed_at IS NULL OR d.repealed_at >= g.as_of)
       AND NOT EXISTS (SELECT 1 FROM oc WHERE oc.agency = d.agency
                         AND oc.balance = 'documents_in_force' AND oc.item = d.subject)
     GROUP BY 1, 2
),
detailed AS (
    SELECT agency, 'open_applications' AS balance, q, n FROM app_open
    UNION ALL SELECT agency, 'open_reviews', q, n FROM rev_open
    UNION ALL SELECT agency, 'documents_in_force', q, n FROM doc_open
),
why AS (
    -- More open (in force) at go-live than the unnamed line states.
    SELECT d.agency, d.balance || '/' || d.q AS line,
           format('events show %s before as_of, stated %s', d.n,
                  coalesce(o.count, 0)) AS reason
      FROM detailed d
      LEFT JOIN oc o ON o.agency = d.agency AND o.balance = d.balance AND o.item IS NULL
                    AND coalesce(o.applicant_class, o.route, o.category) = d.q
     WHERE ($1::text IS NULL OR d.agency = $1) AND d.n > coalesce(o.count, 0)
       AND EXISTS (SELECT 1 FROM oc x WHERE x.agency = d.agency AND x.balance = d.balance)
    UNION ALL
    -- A named application that was received after go-live, closed before
    -- it, or is of another class.
    SELECT o.agency, o.subject,
           CASE WHEN s.received_at >= o.as_of THEN 'received after as_of'
                WHEN s.closed_at < o.as_of THEN 'closed before as_of'
                WHEN s.applicant_class IS NOT NULL AND s.applicant_class <> o.applicant_class
                THEN 'received as ' || s.applicant_class
                ELSE 'closed before as_of' END
      FROM oc o
      LEFT JOIN disclosed.application_state s ON s.agency = o.agency
                                             AND s.application_id = o.item
     WHERE o.balance = 'open_applications' AND o.item IS NOT NULL
       AND (s.received_at >= o.as_of OR s.closed_at < o.as_of
            OR s.applicant_class <> o.applicant_class
            OR EXISTS (SELECT 1 FROM disclosed.application_closed c
                        WHERE c.agency = o.agency AND c.subject = o.item
                          AND c.event_time < o.as_of))
    UNION ALL
    SELECT o.agency, o.subject,
           CASE WHEN s.filed_at >= o.as_of THEN 'filed after as_of'
                WHEN s.route <> o.route THEN 'filed as ' || s.route
                ELSE 'decided before as_of' END
      FROM oc o
      LEFT JOIN disclosed.review_state s ON s.agency = o.agency AND s.case_id = o.item
     WHERE o.balance = 'open_reviews' AND o.item IS NOT NULL
       AND (s.filed_at >= o.as_of OR s.route <> o.route
            OR EXISTS (SELECT 1 FROM disclosed.review_decided d
                        WHERE d.agency = o.agency AND d.subject = o.item
                          AND d.event_time < o.as_of))
    UNION ALL
    SELECT o.agency, o.subject,
           CASE WHEN d.published_at >= o.as_of THEN 'published after as_of'
                WHEN d.category <> o.category THEN 'published as ' || d.category
                ELSE 'repealed before as_of' END
      FROM oc o
      LEFT JOIN doc d ON d.agency = o.agency AND d.subject = o.item
     WHERE o.balance = 'documents_in_force' AND o.item IS NOT NULL
       AND (d.published_at >= o.as_of OR d.category <> o.category
            OR EXISTS (SELECT 1 FROM disclosed.publication_repealed r
                        WHERE r.agency = o.agency AND r.subject = o.item
                          AND r.event_time < o.as_of))
    UNION ALL
    -- Cumulative views only grow: a snapshot before go-live above the
    -- stated views, or one after it below them.
    SELECT o.agency, o.subject,
           format('snapshot at %s has views_total %s',
                  to_char(s.event_time AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI:SS'),
                  s.views_total)
      FROM oc o
      JOIN LATERAL (SELECT event_time, views_total FROM disclosed.newmedia_snapshot x
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
  JOIN disclosed.opening_go_live g ON g.agency = l.agency
 WHERE ($1::text IS NULL OR l.agency = $1) AND l.as_of <> g.as_of
 GROUP BY l.agency;
