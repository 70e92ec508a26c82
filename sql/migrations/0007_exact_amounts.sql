-- disclosed schema, migration 0007: amounts exact to the 分. The report's
-- unit is 万元 (the templates' 收费金额 and 采购总金额), and 1 分 is 0.000001
-- 万元, so an amount published in 元 with 角 and 分 (73,802,895.90 元 is
-- 7380.289590 万元) needs six fraction digits, not four: numeric(18,4)
-- would round it. Fourteen integer digits as before. Widening keeps every
-- stored value exact (12.3500 becomes 12.350000, the same number). The view
-- that reads the column is dropped and made again around the change, as
-- PostgreSQL cannot change the type of a column a view uses; readers get
-- it back through the default privileges of migration 0004, and the grant
-- below says so explicitly.
DROP VIEW disclosed.stats_current;

ALTER TABLE disclosed.stats_reported ALTER COLUMN amount TYPE numeric(20,6);

-- Yearly administrative figures: the latest report per (agency, item, year).
CREATE VIEW disclosed.stats_current AS
SELECT DISTINCT ON (agency, item, year) agency, item, year, projects, decisions,
       amount, event_time AS reported_at
  FROM disclosed.stats_reported
 ORDER BY agency, item, year, event_time DESC, source DESC, event_id DESC;

GRANT SELECT ON disclosed.stats_current TO disclosed_reader;
