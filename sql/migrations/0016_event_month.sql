-- disclosed schema, migration 0016: when each agency has events, per table,
-- topic and calendar month (UTC), with the first and latest event time of
-- the month. The report's agencies of a year and its watermark (the latest
-- event per agency and topic from the year's start on) read these rows
-- instead of every event of the year (README "Report cost"). Exact for any
-- year bounds, whatever the time zone: a month is shorter than a year, so a
-- month with its latest event at or after a year's start and its first
-- before the year's end has an event inside the year.
-- Kept by statement triggers on every table of disclosed.raw_event, in the
-- transaction that stores the events; rows as stored, before corrections
-- (the report confirms from the effective views the agencies that have
-- corrections).
CREATE TABLE disclosed.event_month (
    tbl text NOT NULL, agency text NOT NULL, topic text NOT NULL,
    month timestamptz NOT NULL,
    first_at timestamptz NOT NULL, last_at timestamptz NOT NULL,
    PRIMARY KEY (agency, tbl, topic, month));
CREATE INDEX ON disclosed.event_month (last_at);
GRANT SELECT ON disclosed.event_month TO disclosed_reader;

-- After an INSERT (or COPY): the statement's rows widen their months.
-- Events arriving in time order touch one month per agency and topic, and
-- change a row only when they are its latest. A month the rows do not
-- widen is left alone before the upsert, which would lock (write) it even
-- when it changes nothing: events of many months in one batch (a backlog
-- out of order) then cost one index probe each month, not a write.
CREATE FUNCTION disclosed.event_month_on_insert()
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
    ON CONFLICT (agency, tbl, topic, month) DO UPDATE
       SET first_at = least(m.first_at, excluded.first_at),
           last_at = greatest(m.last_at, excluded.last_at)
     WHERE excluded.first_at < m.first_at OR excluded.last_at > m.last_at;
    RETURN NULL;
END $$;

-- The months of table p_tbl for agency p_agency and topic p_topic starting
-- at p_months, from the rows the table holds (one range of its event_time
-- index each).
CREATE FUNCTION disclosed.event_month_refresh(p_tbl text, p_agency text, p_topic text,
                                              p_months timestamptz[])
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM disclosed.event_month
     WHERE tbl = p_tbl AND agency = p_agency AND topic = p_topic AND month = ANY (p_months);
    EXECUTE format($q$
        INSERT INTO disclosed.event_month (tbl, agency, topic, month, first_at, last_at)
        SELECT %L, t.agency, t.topic, m.month, min(t.event_time), max(t.event_time)
          FROM unnest($3) m(month)
          JOIN disclosed.%I t ON t.event_time >= m.month
                             AND t.event_time < (m.month AT TIME ZONE 'UTC' + interval '1 month')
                                                AT TIME ZONE 'UTC'
         WHERE t.agency = $1 AND t.topic = $2
         GROUP BY t.agency, t.topic, m.month$q$, p_tbl, p_tbl)
      USING p_agency, p_topic, p_months;
END $$;

-- After a DELETE (never by the daemon, whose role may not): the months of
-- the rows taken away, from what is left.
CREATE FUNCTION disclosed.event_month_on_delete()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM disclosed.event_month_refresh(TG_TABLE_NAME, o.agency, o.topic, o.months)
       FROM (SELECT agency, topic, array_agg(DISTINCT date_trunc('month', event_time, 'UTC'))
                    AS months
               FROM old_rows GROUP BY agency, topic) o;
    RETURN NULL;
END $$;

CREATE FUNCTION disclosed.event_month_on_truncate()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM disclosed.event_month WHERE tbl = TG_TABLE_NAME;
    RETURN NULL;
END $$;

REVOKE ALL ON FUNCTION disclosed.event_month_on_insert(), disclosed.event_month_on_delete(),
    disclosed.event_month_on_truncate(),
    disclosed.event_month_refresh(text, text, text, timestamptz[]) FROM PUBLIC;

-- The tables of disclosed.raw_event.
CREATE FUNCTION disclosed.event_month_tables() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY['complaint_received', 'complaint_transferred', 'complaint_decided',
             'complaint_closed', 'reception_held', 'publication_published',
             'publication_repealed', 'newmedia_snapshot', 'application_received',
             'application_closed', 'review_filed', 'review_decided', 'stats_reported',
             'opening_stated', 'event_correction']
$$;

-- Every month from the stored events: this migration's starting point.
CREATE FUNCTION disclosed.event_month_rebuild()
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE t text;
BEGIN
    DELETE FROM disclosed.event_month;
    FOREACH t IN ARRAY disclosed.event_month_tables() LOOP
        EXECUTE format($q$
            INSERT INTO disclosed.event_month (tbl, agency, topic, month, first_at, last_at)
            SELECT %L, agency, topic, date_trunc('month', event_time, 'UTC'), min(event_time),
                   max(event_time)
              FROM disclosed.%I GROUP BY agency, topic, date_trunc('month', event_time, 'UTC')$q$,
            t, t);
    END LOOP;
END $$;

REVOKE ALL ON FUNCTION disclosed.event_month_rebuild() FROM PUBLIC;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY disclosed.event_month_tables() LOOP
        EXECUTE format('CREATE TRIGGER event_month AFTER INSERT ON disclosed.%I
                            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
                            EXECUTE FUNCTION disclosed.event_month_on_insert()', t);
        EXECUTE format('CREATE TRIGGER event_month_delete AFTER DELETE ON disclosed.%I
                            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
                            EXECUTE FUNCTION disclosed.event_month_on_delete()', t);
        EXECUTE format('CREATE TRIGGER event_month_truncate AFTER TRUNCATE ON disclosed.%I
                            FOR EACH STATEMENT EXECUTE FUNCTION disclosed.event_month_on_truncate()', t);
    END LOOP;
END $$;

SELECT disclosed.event_month_rebuild();
