-- Section 二 (proactive disclosure, art. 20) of agency $1 for year $2 in time
-- zone $3, as (tbl, row, col, value) with value as text (amounts are exact
-- decimals). Every cell of both templates; the renderer picks its template's.
WITH b AS (
    SELECT make_timestamptz($2::int, 1, 1, 0, 0, 0, $3::text) AS y0,
           make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1
),
-- Regulations and normative documents: each item once, with when it was
-- made (made_at, else its first publication), first published, repealed.
item AS (
    SELECT p.subject, p.category, coalesce(p.made_at, p.event_time) AS made_at,
           p.event_time AS published_at,
           (SELECT min(r.event_time) FROM disclosed.publication_repealed r
             WHERE r.agency = $1 AND r.subject = p.subject) AS repealed_at
      FROM (SELECT DISTINCT ON (subject) subject, category, made_at, event_time
              FROM disclosed.publication_published
             WHERE agency = $1 AND category IN ('regulation', 'normative_document')
             ORDER BY subject, event_time, source, event_id) p
),
art20_1 AS (
    SELECT c.category,
           count(i.*) FILTER (WHERE i.made_at >= b.y0 AND i.made_at < b.y1) AS made,
           count(i.*) FILTER (WHERE i.published_at >= b.y0 AND i.published_at < b.y1) AS published,
           count(i.*) FILTER (WHERE i.repealed_at >= b.y0 AND i.repealed_at < b.y1) AS repealed,
           count(i.*) FILTER (WHERE i.published_at < b.y1
                              AND (i.repealed_at IS NULL OR i.repealed_at >= b.y1)) AS in_force
      FROM (VALUES ('regulation'), ('normative_document')) c(category)
      CROSS JOIN b
      LEFT JOIN item i ON i.category = c.category
     GROUP BY c.category
),
-- Figures reported by other systems: the latest report per item and year.
st AS (
    SELECT it.item,
           (SELECT projects FROM disclosed.stats_current s
             WHERE s.agency = $1 AND s.item = it.item AND s.year = $2::int) AS projects,
           (SELECT projects FROM disclosed.stats_current s
             WHERE s.agency = $1 AND s.item = it.item AND s.year = $2::int - 1) AS prev_projects,
           (SELECT decisions FROM disclosed.stats_current s
             WHERE s.agency = $1 AND s.item = it.item AND s.year = $2::int) AS decisions,
           (SELECT amount FROM disclosed.stats_current s
             WHERE s.agency = $1 AND s.item = it.item AND s.year = $2::int) AS amount
      FROM (VALUES ('permit'), ('other_service'), ('punishment'), ('coercion'),
                   ('fee'), ('procurement')) it(item)
)
SELECT 'art20_1', category, 'made', made::text FROM art20_1
UNION ALL SELECT 'art20_1', category, 'published', published::text FROM art20_1
UNION ALL SELECT 'art20_1', category, 'repealed', repealed::text FROM art20_1
UNION ALL SELECT 'art20_1', category, 'in_force', in_force::text FROM art20_1
UNION ALL
SELECT CASE WHEN item IN ('permit', 'other_service') THEN 'art20_5'
            WHEN item IN ('punishment', 'coercion') THEN 'art20_6'
            WHEN item = 'fee' THEN 'art20_8' ELSE 'art20_9' END,
       item, col, val
  FROM st, LATERAL (VALUES
        ('previous_projects', coalesce(prev_projects, 0)::text),
        ('change', (coalesce(projects, 0) - coalesce(prev_projects, 0))::text),
        ('projects', coalesce(projects, 0)::text),
        ('decisions', coalesce(decisions, 0)::text),
        ('amount', trim_scale(coalesce(amount, 0)::numeric(18, 4))::text)) v(col, val);
