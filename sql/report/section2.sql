-- Section 二 (proactive disclosure, art. 20) for year $2 in time zone $3 ($4 to $5) of
-- agency $1 (every agency when NULL), as (agency, tbl, row, col, value) with
-- value as text (amounts are exact decimals). Cells without data are absent
-- and read as 0; the renderer picks its template's cells.
-- An item's first row is found by its primary key: the span's
-- opened_source and opened_id.
WITH b AS NOT MATERIALIZED (SELECT $4::timestamptz AS y0, $5::timestamptz AS y1),
-- Regulations and normative documents: each item once, as its span
-- (disclosed.case_span, kind regulation) has it: its first row of those
-- categories (the category; when made: that row's made_at, else its
-- time) and its first repeal. The items a figure of the year can count are
-- those first published or first repealed in the year (the spans' time
-- indexes) and the others with a row made in the year (the made_at index)
-- (README "Report cost"). Two sets that do not meet, so nothing is sorted
-- to remove duplicates but the few items of the second.
item AS (
    SELECT s.agency, s.subject, s.opened_as AS category, s.opened_source, s.opened_id,
           s.opened_at, s.closed_at
      FROM disclosed.case_span s, b
     WHERE s.kind = 'regulation' AND ($1::text IS NULL OR s.agency = $1)
       AND s.opened_at IS NOT NULL
       AND (s.opened_at >= b.y0 AND s.opened_at < b.y1
            OR s.closed_at >= b.y0 AND s.closed_at < b.y1)
    UNION ALL
    SELECT DISTINCT s.agency, s.subject, s.opened_as, s.opened_source, s.opened_id, s.opened_at,
           s.closed_at
      FROM disclosed.effective_publication_published p CROSS JOIN b
      JOIN disclosed.case_span s ON s.kind = 'regulation' AND s.agency = p.agency
                                AND s.subject = p.subject AND s.opened_at IS NOT NULL
     WHERE ($1::text IS NULL OR p.agency = $1)
       AND p.category IN ('regulation', 'normative_document')
       AND p.made_at >= b.y0 AND p.made_at < b.y1
       AND NOT (s.opened_at >= b.y0 AND s.opened_at < b.y1)
       AND (s.closed_at IS NULL OR NOT (s.closed_at >= b.y0 AND s.closed_at < b.y1))
),
-- When the item was made: its first row's made_at. That row is among the
-- year's rows (joined as a set) when the item was first published in the
-- year; for the others it is one primary-key probe (a subquery, which the
-- planner cannot turn into a join with every year's publications).
yr AS (
    SELECT p.source, p.event_id, p.agency, p.made_at
      FROM disclosed.effective_publication_published p, b
     WHERE ($1::text IS NULL OR p.agency = $1)
       AND p.category IN ('regulation', 'normative_document')
       AND p.event_time >= b.y0 AND p.event_time < b.y1
),
made AS (
    SELECT i.agency, i.category,
           coalesce(CASE WHEN y.source IS NOT NULL THEN y.made_at
                         ELSE (SELECT p.made_at FROM disclosed.effective_publication_published p
                                WHERE p.source = i.opened_source AND p.event_id = i.opened_id
                                  AND p.agency = i.agency) END, i.opened_at) AS made_at,
           i.opened_at AS published_at, i.closed_at AS repealed_at
      FROM item i
      LEFT JOIN yr y ON y.source = i.opened_source AND y.event_id = i.opened_id
                    AND y.agency = i.agency
),
-- In force at the year end: first published by then and not repealed
-- before it, a stock of every year: the regulation spans opened before the
-- year end and not closed before it, in the category of the item's first
-- publication as a regulation or normative document, from their running
-- counts per month (disclosed.span_stock, migration 0019).
force AS (
    SELECT f.agency, f.class AS category, f.n
      FROM disclosed.span_stock('regulation', $5::timestamptz, $1::text) f
),
-- Each part counted by itself (hashed), then the few rows put together.
art20_1 AS (
    SELECT agency, category, sum(made) AS made, sum(published) AS published,
           sum(repealed) AS repealed, sum(in_force) AS in_force
      FROM (SELECT i.agency, i.category,
                   count(*) FILTER (WHERE i.made_at >= b.y0 AND i.made_at < b.y1) AS made,
                   count(*) FILTER (WHERE i.published_at >= b.y0 AND i.published_at < b.y1)
                       AS published,
                   count(*) FILTER (WHERE i.repealed_at >= b.y0 AND i.repealed_at < b.y1)
                       AS repealed,
                   0 AS in_force
              FROM made i, b
             GROUP BY i.agency, i.category
            UNION ALL
            SELECT agency, category, 0, 0, 0, n FROM force) x
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
