-- Section 二 第二十条第（一）项 cells that only the opening balance can give,
-- for agency $1 (every agency when NULL), year $2, time zone $3, as (agency,
-- 'art20_1', category, column, count) to be added to section2.sql's. A
-- document stated in force at go-live counts as published at an unknown
-- time before as_of: in force at the end of every year until its repeal,
-- never made or newly published in a year. A named one (item = its
-- publication item id, no publication.published of that subject) is
-- repealed by the first publication.repealed of that subject, which then
-- counts in 本年废止件数 of its year; an unnamed line counts what detailed
-- publications before as_of do not already show in force in that category.
WITH b AS (
    SELECT make_timestamptz($2::int, 1, 1, 0, 0, 0, $3::text) AS y0,
           make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1
),
oc AS (
    SELECT * FROM disclosed.opening_current
     WHERE balance = 'documents_in_force' AND ($1::text IS NULL OR agency = $1)
),
named AS (
    SELECT o.agency, o.category, 1::bigint AS n,
           (SELECT min(r.event_time) FROM disclosed.effective_publication_repealed r
             WHERE r.agency = o.agency AND r.subject = o.item) AS repealed_at
      FROM oc o
     WHERE o.item IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM disclosed.effective_publication_published p
                        WHERE p.agency = o.agency AND p.subject = o.item)
),
-- Items as section2.sql sees them: first publication, first repeal.
item AS (
    SELECT p.agency, p.subject, p.category, p.event_time AS published_at,
           (SELECT min(r.event_time) FROM disclosed.effective_publication_repealed r
             WHERE r.agency = p.agency AND r.subject = p.subject) AS repealed_at
      FROM (SELECT DISTINCT ON (agency, subject) agency, subject, category, event_time
              FROM disclosed.effective_publication_published
             WHERE ($1::text IS NULL OR agency = $1)
               AND category IN ('regulation', 'normative_document')
             ORDER BY agency, subject, event_time, source, event_id) p
),
unnamed AS (
    SELECT o.agency, o.category, NULL::timestamptz AS repealed_at,
           greatest(o.count - (SELECT count(*) FROM item i
                                WHERE i.agency = o.agency AND i.category = o.category
                                  AND i.published_at < o.as_of
                                  AND (i.repealed_at IS NULL OR i.repealed_at >= o.as_of)
                                  AND NOT EXISTS (SELECT 1 FROM oc n
                                                   WHERE n.agency = i.agency
                                                     AND n.item = i.subject)),
                    0) AS n
      FROM oc o WHERE o.item IS NULL
),
doc AS (SELECT agency, category, n, repealed_at FROM named
        UNION ALL SELECT agency, category, n, repealed_at FROM unnamed)
SELECT agency, 'art20_1', category, col, val
  FROM (SELECT d.agency, d.category,
               coalesce(sum(d.n) FILTER (WHERE d.repealed_at >= b.y0
                                          AND d.repealed_at < b.y1), 0) AS repealed,
               coalesce(sum(d.n) FILTER (WHERE d.repealed_at IS NULL
                                            OR d.repealed_at >= b.y1), 0) AS in_force
          FROM doc d, b GROUP BY d.agency, d.category) s,
       LATERAL (VALUES ('repealed', repealed), ('in_force', in_force)) v(col, val)
 WHERE val <> 0;
