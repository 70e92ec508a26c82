-- Section 二 (proactive disclosure, art. 20) for year $2 in time zone $3 of
-- agency $1 (every agency when NULL), as (agency, tbl, row, col, value) with
-- value as text (amounts are exact decimals). Cells without data are absent
-- and read as 0; the renderer picks its template's cells.
WITH b AS (
    SELECT make_timestamptz($2::int, 1, 1, 0, 0, 0, $3::text) AS y0,
           make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1
),
-- Regulations and normative documents: each item once, with when it was
-- made (made_at, else its first publication), first published, repealed.
item AS (
    SELECT p.agency, p.subject, p.category, coalesce(p.made_at, p.event_time) AS made_at,
           p.event_time AS published_at,
           (SELECT min(r.event_time) FROM disclosed.effective_publication_repealed r
             WHERE r.agency = p.agency AND r.subject = p.subject) AS repealed_at
      FROM (SELECT DISTINCT ON (agency, subject) agency, subject, category, made_at, event_time
              FROM disclosed.effective_publication_published
             WHERE ($1::text IS NULL OR agency = $1)
               AND category IN ('regulation', 'normative_document')
             ORDER BY agency, subject, event_time, source, event_id) p
),
art20_1 AS (
    SELECT i.agency, i.category,
           count(*) FILTER (WHERE i.made_at >= b.y0 AND i.made_at < b.y1) AS made,
           count(*) FILTER (WHERE i.published_at >= b.y0 AND i.published_at < b.y1) AS published,
           count(*) FILTER (WHERE i.repealed_at >= b.y0 AND i.repealed_at < b.y1) AS repealed,
           count(*) FILTER (WHERE i.published_at < b.y1
                            AND (i.repealed_at IS NULL OR i.repealed_at >= b.y1)) AS in_force
      FROM item i, b
     GROUP BY i.agency, i.category
),
-- Figures reported by other systems: the latest report per item and year.
st AS (
    SELECT agency, item,
           max(projects) FILTER (WHERE year = $2::int) AS projects,
           max(projects) FILTER (WHERE year = $2::int - 1) AS prev_projects,
           max(decisions) FILTER (WHERE year = $2::int) AS decisions,
           max(amount) FILTER (WHERE year = $2::int) AS amount
      FROM disclosed.stats_current
     WHERE ($1::text IS NULL OR agency = $1) AND year IN ($2::int, $2::int - 1)
     GROUP BY agency, item
)
SELECT agency, 'art20_1', category, col, val
  FROM art20_1, LATERAL (VALUES ('made', made::text), ('published', published::text),
                                ('repealed', repealed::text), ('in_force', in_force::text)) v(col, val)
UNION ALL
SELECT agency,
       CASE WHEN item IN ('permit', 'other_service') THEN 'art20_5'
            WHEN item IN ('punishment', 'coercion') THEN 'art20_6'
            WHEN item = 'fee' THEN 'art20_8' ELSE 'art20_9' END,
       item, col, val
  FROM st, LATERAL (VALUES
        ('previous_projects', coalesce(prev_projects, 0)::text),
        ('change', (coalesce(projects, 0) - coalesce(prev_projects, 0))::text),
        ('projects', coalesce(projects, 0)::text),
        ('decisions', coalesce(decisions, 0)::text),
        ('amount', trim_scale(coalesce(amount, 0))::text)) v(col, val);
