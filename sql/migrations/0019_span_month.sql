-- disclosed schema, migration 0019: the stocks of the report as running
-- counts per calendar month (UTC), so that counting the cases open at a date
-- reads a few rows per month instead of every case ever opened:
--   section 二   regulations and normative documents in force at the year end
--   section 三   applications open at the year's start and end (rows 2 and 4)
--   section 四   review cases pending at the year end
-- Each is "the spans of a kind opened before date T and not closed before
-- it", by agency and by the class of the opening (category, applicant
-- class, route). A span opened at o counts +1 in o's month; closed at c it
-- counts -1 in the month of greatest(o, c) (a closing before the opening
-- ends nothing that counted). The stock at T is the sum over the months
-- before T's month, plus the spans of T's own month up to T read from
-- case_span (disclosed.span_stock): exact for any T, whatever the time zone.
-- Kept by statement triggers on disclosed.case_span, in the transaction that
-- changes the spans (README "Report cost").
CREATE TABLE disclosed.span_month (
    kind text NOT NULL, agency text NOT NULL,
    class text NOT NULL, -- the opening's class; '' for none
    month timestamptz NOT NULL,
    opened bigint NOT NULL, closed bigint NOT NULL,
    PRIMARY KEY (kind, agency, month, class));
GRANT SELECT ON disclosed.span_month TO disclosed_reader;

-- The kinds counted.
CREATE FUNCTION disclosed.span_month_kinds() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY['regulation', 'application', 'review']
$$;

-- A span's contributions, times p_sign: +1 opened in its opening's month,
-- +1 closed in the month of the later of its opening and closing. A single
-- SELECT, so that the planner inlines it into the statements below.
CREATE FUNCTION disclosed.span_month_rows(p_kind text, p_agency text, p_opened_as text,
                                          p_opened_at timestamptz, p_closed_at timestamptz,
                                          p_sign int)
RETURNS TABLE (kind text, agency text, class text, month timestamptz, opened int, closed int)
LANGUAGE sql STABLE AS $$
SELECT p_kind, p_agency, coalesce(p_opened_as, ''), v.month, p_sign * v.o, p_sign * v.c
  FROM (VALUES (date_trunc('month', p_opened_at, 'UTC'), 1, 0),
               (date_trunc('month', greatest(p_opened_at, p_closed_at), 'UTC'), 0, 1)) v(month, o, c)
 WHERE p_kind = ANY (disclosed.span_month_kinds()) AND p_opened_at IS NOT NULL
   AND (v.o = 1 OR p_closed_at IS NOT NULL)
$$;

-- Adds the contributions of the spans in new_rows and takes away those of
-- old_rows: one function per statement kind, as a transition table is
-- visible by name only to its own trigger's statements. An update adds
-- only where they differ (a complaint's transfer or a later decision
-- changes none).
CREATE FUNCTION disclosed.span_month_on_insert()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO disclosed.span_month AS m (kind, agency, class, month, opened, closed)
    SELECT v.kind, v.agency, v.class, v.month, sum(v.opened), sum(v.closed)
      FROM new_rows r,
           disclosed.span_month_rows(r.kind, r.agency, r.opened_as, r.opened_at, r.closed_at, 1) v
     GROUP BY 1, 2, 3, 4
    ON CONFLICT (kind, agency, month, class) DO UPDATE
       SET opened = m.opened + excluded.opened, closed = m.closed + excluded.closed;
    RETURN NULL;
END $$;

CREATE FUNCTION disclosed.span_month_on_delete()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO disclosed.span_month AS m (kind, agency, class, month, opened, closed)
    SELECT v.kind, v.agency, v.class, v.month, sum(v.opened), sum(v.closed)
      FROM old_rows r,
           disclosed.span_month_rows(r.kind, r.agency, r.opened_as, r.opened_at, r.closed_at, -1) v
     GROUP BY 1, 2, 3, 4
    ON CONFLICT (kind, agency, month, class) DO UPDATE
       SET opened = m.opened + excluded.opened, closed = m.closed + excluded.closed;
    RETURN NULL;
END $$;

CREATE FUNCTION disclosed.span_month_on_update()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO disclosed.span_month AS m (kind, agency, class, month, opened, closed)
    SELECT v.kind, v.agency, v.class, v.month, sum(v.opened), sum(v.closed)
      FROM (SELECT n.kind, n.agency, n.opened_as, n.opened_at, n.closed_at, 1 AS sign
              FROM new_rows n
            UNION ALL
            SELECT o.kind, o.agency, o.opened_as, o.opened_at, o.closed_at, -1 FROM old_rows o) r,
           disclosed.span_month_rows(r.kind, r.agency, r.opened_as, r.opened_at, r.closed_at,
                                     r.sign) v
     GROUP BY 1, 2, 3, 4
    HAVING sum(v.opened) <> 0 OR sum(v.closed) <> 0
    ON CONFLICT (kind, agency, month, class) DO UPDATE
       SET opened = m.opened + excluded.opened, closed = m.closed + excluded.closed;
    RETURN NULL;
END $$;

CREATE FUNCTION disclosed.span_month_on_truncate()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM disclosed.span_month;
    RETURN NULL;
END $$;

REVOKE ALL ON FUNCTION disclosed.span_month_on_insert(), disclosed.span_month_on_delete(),
    disclosed.span_month_on_update(), disclosed.span_month_on_truncate() FROM PUBLIC;

-- The counts from the spans already stored.
INSERT INTO disclosed.span_month (kind, agency, class, month, opened, closed)
SELECT v.kind, v.agency, v.class, v.month, sum(v.opened), sum(v.closed)
  FROM disclosed.case_span r,
       disclosed.span_month_rows(r.kind, r.agency, r.opened_as, r.opened_at, r.closed_at, 1) v
 GROUP BY 1, 2, 3, 4;

CREATE TRIGGER span_month_insert AFTER INSERT ON disclosed.case_span
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION disclosed.span_month_on_insert();
CREATE TRIGGER span_month_update AFTER UPDATE ON disclosed.case_span
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION disclosed.span_month_on_update();
CREATE TRIGGER span_month_delete AFTER DELETE ON disclosed.case_span
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION disclosed.span_month_on_delete();
CREATE TRIGGER span_month_truncate AFTER TRUNCATE ON disclosed.case_span
    FOR EACH STATEMENT EXECUTE FUNCTION disclosed.span_month_on_truncate();

-- The spans of kind p_kind (of agency p_agency; every agency when NULL)
-- opened before p_at and not closed before it, counted by agency and class
-- (the opening's; NULL for none): the months before p_at's month, then
-- that month's spans up to p_at, two ranges of case_span's indexes. A
-- single SELECT, so that the planner inlines it into the report's query
-- with its arguments.
CREATE FUNCTION disclosed.span_stock(p_kind text, p_at timestamptz, p_agency text)
RETURNS TABLE (agency text, class text, n bigint)
LANGUAGE sql STABLE AS $$
SELECT x.agency, x.class, sum(x.n)::bigint
  FROM (SELECT m.agency, nullif(m.class, '') AS class, m.opened - m.closed AS n
          FROM disclosed.span_month m
         WHERE m.kind = p_kind AND (p_agency IS NULL OR m.agency = p_agency)
           AND m.month < date_trunc('month', p_at, 'UTC')
        UNION ALL
        -- opened in p_at's month before p_at: open unless closed before p_at
        SELECT s.agency, s.opened_as,
               CASE WHEN s.closed_at < p_at THEN 0 ELSE 1 END
          FROM disclosed.case_span s
         WHERE s.kind = p_kind AND (p_agency IS NULL OR s.agency = p_agency)
           AND s.opened_at >= date_trunc('month', p_at, 'UTC') AND s.opened_at < p_at
        UNION ALL
        -- opened before that month, closed in it before p_at
        SELECT s.agency, s.opened_as, -1
          FROM disclosed.case_span s
         WHERE s.kind = p_kind AND (p_agency IS NULL OR s.agency = p_agency)
           AND s.closed_at >= date_trunc('month', p_at, 'UTC') AND s.closed_at < p_at
           AND s.opened_at < date_trunc('month', p_at, 'UTC')) x
 GROUP BY x.agency, x.class
HAVING sum(x.n) <> 0
$$;
