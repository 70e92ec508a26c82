-- disclosed schema, migration 0020: running counts that members of one
-- consumer group never wait for each other on.
--
-- span_month (0019) kept one row per kind, agency, month and class and
-- every batch added to it in place: two members' batches that touched the
-- same rows from different statements (an application opened in March by
-- one, another closed in March by the other) locked them in opposite
-- orders and PostgreSQL ended one of them as a deadlock. Its rows are now
-- deltas: each statement on case_span inserts its own, which nobody waits
-- for, and the count of a key is the sum of its rows (as span_stock and
-- every reader already take it). disclosed.span_month_compact() folds each
-- key's rows into one; the daemon calls it about once a minute.
--
-- event_month (0016) keeps its upsert: its rows are per table, and each
-- statement takes them in key order now, so that two batches of the same
-- table lock them in the same order.
-- folded: true for a key's row written by span_month_compact (and for the
-- rows already here, one per key); false for the deltas inserted since,
-- which the partial index finds.
ALTER TABLE disclosed.span_month DROP CONSTRAINT span_month_pkey;
ALTER TABLE disclosed.span_month ADD COLUMN folded boolean NOT NULL DEFAULT true;
ALTER TABLE disclosed.span_month ALTER COLUMN folded SET DEFAULT false;
CREATE INDEX span_month_key ON disclosed.span_month (kind, agency, month, class);
CREATE INDEX span_month_unfolded ON disclosed.span_month (kind, agency, month, class)
    WHERE NOT folded;

-- After an INSERT or a DELETE on case_span: the rows added count +1, those
-- taken away -1. One function for both, as both triggers name their
-- transition table "changed".
CREATE FUNCTION disclosed.span_month_on_change()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO disclosed.span_month (kind, agency, class, month, opened, closed)
    SELECT v.kind, v.agency, v.class, v.month, sum(v.opened), sum(v.closed)
      FROM changed r,
           disclosed.span_month_rows(r.kind, r.agency, r.opened_as, r.opened_at, r.closed_at,
                                     CASE TG_OP WHEN 'DELETE' THEN -1 ELSE 1 END) v
     GROUP BY 1, 2, 3, 4;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION disclosed.span_month_on_change() FROM PUBLIC;

DROP TRIGGER span_month_insert ON disclosed.case_span;
DROP TRIGGER span_month_delete ON disclosed.case_span;
DROP FUNCTION disclosed.span_month_on_insert(), disclosed.span_month_on_delete();
CREATE TRIGGER span_month_insert AFTER INSERT ON disclosed.case_span
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION disclosed.span_month_on_change();
CREATE TRIGGER span_month_delete AFTER DELETE ON disclosed.case_span
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION disclosed.span_month_on_change();

CREATE OR REPLACE FUNCTION disclosed.span_month_on_update()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO disclosed.span_month (kind, agency, class, month, opened, closed)
    SELECT v.kind, v.agency, v.class, v.month, sum(v.opened), sum(v.closed)
      FROM (SELECT n.kind, n.agency, n.opened_as, n.opened_at, n.closed_at, 1 AS sign
              FROM new_rows n
            UNION ALL
            SELECT o.kind, o.agency, o.opened_as, o.opened_at, o.closed_at, -1 FROM old_rows o) r,
           disclosed.span_month_rows(r.kind, r.agency, r.opened_as, r.opened_at, r.closed_at,
                                     r.sign) v
     GROUP BY 1, 2, 3, 4
    HAVING sum(v.opened) <> 0 OR sum(v.closed) <> 0;
    RETURN NULL;
END $$;

-- TRUNCATE, not DELETE: it waits for a compaction under way, whose folded
-- rows a DELETE begun before it ended would not see and would leave behind.
CREATE OR REPLACE FUNCTION disclosed.span_month_on_truncate()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    TRUNCATE disclosed.span_month;
    RETURN NULL;
END $$;

-- Folds the rows of each key that has deltas into one (none when they sum
-- to nothing); returns the rows it took away. Its cost follows the deltas,
-- not the table. Inserts under way meanwhile are neither seen nor waited
-- for. One caller at a time: another returns 0 at once.
CREATE FUNCTION disclosed.span_month_compact()
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('disclosed.span_month_compact')) THEN
        RETURN 0;
    END IF;
    WITH k AS (
        SELECT DISTINCT kind, agency, month, class FROM disclosed.span_month WHERE NOT folded),
    gone AS (
        DELETE FROM disclosed.span_month m USING k
         WHERE m.kind = k.kind AND m.agency = k.agency AND m.month = k.month AND m.class = k.class
        RETURNING m.kind, m.agency, m.class, m.month, m.opened, m.closed),
    kept AS (
        INSERT INTO disclosed.span_month (kind, agency, class, month, opened, closed, folded)
        SELECT kind, agency, class, month, sum(opened), sum(closed), true FROM gone
         GROUP BY 1, 2, 3, 4
        HAVING sum(opened) <> 0 OR sum(closed) <> 0)
    SELECT count(*) INTO n FROM gone;
    RETURN n;
END $$;
REVOKE ALL ON FUNCTION disclosed.span_month_compact() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION disclosed.span_month_compact() TO disclosed_writer;

CREATE OR REPLACE FUNCTION disclosed.event_month_on_insert()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO disclosed.event_month AS m (tbl, agency, topic, month, first_at, last_at)
    SELECT TG_TABLE_NAME, g.agency, g.topic, g.month, g.first_at, g.last_at
      FROM (SELECT n.agency, n.topic, date_trunc('month', n.event_time, 'UTC') AS month,
                   min(n.event_time) AS first_at, max(n.event_time) AS last_at
              FROM new_rows n
             GROUP BY n.agency, n.topic, date_trunc('month', n.event_time, 'UTC')) g
     WHERE NOT EXISTS (SELECT 1 FROM disclosed.event_month e
                        WHERE e.agency = g.agency AND e.tbl = TG_TABLE_NAME
                          AND e.topic = g.topic AND e.month = g.month
                          AND e.first_at <= g.first_at AND e.last_at >= g.last_at)
     ORDER BY g.agency, g.topic, g.month
    ON CONFLICT (agency, tbl, topic, month) DO UPDATE
       SET first_at = least(m.first_at, excluded.first_at),
           last_at = greatest(m.last_at, excluded.last_at)
     WHERE excluded.first_at < m.first_at OR excluded.last_at > m.last_at;
    RETURN NULL;
END $$;
