-- Section 二 (proactive disclosure, art. 20) for year $2 in time zone $3 ($4 to $5) of
-- agency $1 (every agency when NULL), as (agency, tbl, row, col, value) with
-- value as text (amounts are exact decimals). Cells without data are absent
-- and read as 0; the renderer picks its template's cells.
-- The look-ups of earlier rows (NOT EXISTS) repeat the agency filter on
-- their own side: the planner does not carry it over from the outer side
-- into an effective view, and would otherwise read every agency's history.
WITH b AS NOT MATERIALIZED (SELECT $4::timestamptz AS y0, $5::timestamptz AS y1),
-- Regulations and normative documents: each item once, as its first row of
-- those categories has it (when made: made_at, else that publication),
-- with its first repeal. The items a figure of the year can count are those
-- published, made or repealed in the year (README "Report cost").
cand AS (
    SELECT p.agency, p.subject FROM disclosed.effective_publication_published p, b
     WHERE ($1::text IS NULL OR p.agency = $1)
       AND p.category IN ('regulation', 'normative_document')
       AND p.event_time >= b.y0 AND p.event_time < b.y1
    UNION
    SELECT p.agency, p.subject FROM disclosed.effective_publication_published p, b
     WHERE ($1::text IS NULL OR p.agency = $1)
       AND p.category IN ('regulation', 'normative_document')
       AND p.made_at >= b.y0 AND p.made_at < b.y1
    UNION
    SELECT r.agency, r.subject FROM disclosed.effective_publication_repealed r, b
     WHERE ($1::text IS NULL OR r.agency = $1)
       AND r.event_time >= b.y0 AND r.event_time < b.y1
),
-- The first repeal is a lateral join, not a subquery in the select list:
-- art20_1 compares it twice, and each use of a subquery would probe the
-- effective view again.
item AS (
    SELECT c.agency, p.category, coalesce(p.made_at, p.event_time) AS made_at,
           p.event_time AS published_at, r.repealed_at
      FROM cand c CROSS JOIN LATERAL (
           SELECT p.category, p.made_at, p.event_time FROM disclosed.effective_publication_published p
            WHERE p.agency = c.agency AND p.subject = c.subject
              AND p.category IN ('regulation', 'normative_document')
            ORDER BY p.event_time, p.source, p.event_id LIMIT 1) p
      CROSS JOIN LATERAL (
           SELECT min(r.event_time) AS repealed_at FROM disclosed.effective_publication_repealed r
            WHERE r.agency = c.agency AND r.subject = c.subject) r
),
-- In force at the year end: first published by then and not repealed
-- before it, a stock of every year: the spans opened before the year end
-- and not closed before it (disclosed.case_span), in the category of the
-- item's first publication as a regulation or normative document.
force AS (
    SELECT s.agency, s.opened_as AS category FROM disclosed.case_span s, b
     WHERE s.kind = 'regulation' AND ($1::text IS NULL OR s.agency = $1)
       AND s.opened_at < b.y1 AND (s.closed_at IS NULL OR s.closed_at >= b.y1)
),
art20_1 AS (
    SELECT agency, category, sum(made) AS made, sum(published) AS published,
           sum(repealed) AS repealed, sum(in_force) AS in_force
      FROM (SELECT i.agency, i.category,
                   (i.made_at >= b.y0 AND i.made_at < b.y1)::int AS made,
                   (i.published_at >= b.y0 AND i.published_at < b.y1)::int AS published,
                   (i.repealed_at >= b.y0 AND i.repealed_at < b.y1)::int AS repealed,
                   0 AS in_force
              FROM item i, b
            UNION ALL
            SELECT agency, category, 0, 0, 0, 1 FROM force) x
     GROUP BY agency, category
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
