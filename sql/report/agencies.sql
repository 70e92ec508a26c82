-- Every agency with any stored event, to name them when an unknown one is
-- asked for.
SELECT DISTINCT agency FROM disclosed.raw_event ORDER BY 1;
