-- Every agency with any stored event, to name them when an unknown one is
-- asked for: the months of events (disclosed.event_month) hold every table
-- of disclosed.raw_event, so none of the events is read.
SELECT DISTINCT agency FROM disclosed.event_month ORDER BY 1;
