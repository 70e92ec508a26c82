-- Whether agency $1 has any stored event: one index probe, unlike listing
-- every agency.
SELECT EXISTS (SELECT 1 FROM disclosed.raw_event WHERE agency = $1);
