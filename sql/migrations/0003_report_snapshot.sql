-- disclosed schema, migration 0003: what each report run computed, so that a
-- published report can be reproduced. A run on unchanged data finds its
-- snapshot already there (same agency, year, template and content hash).
CREATE TABLE disclosed.report_snapshot (
    id           bigserial   PRIMARY KEY,
    agency       text        NOT NULL,
    year         integer     NOT NULL,
    template     text        NOT NULL,
    report       jsonb       NOT NULL, -- every figure, checks and watermark
    sha256       text        NOT NULL, -- of the report JSON as rendered
    first_run_at timestamptz NOT NULL DEFAULT now(),
    last_run_at  timestamptz NOT NULL DEFAULT now(),
    runs         integer     NOT NULL DEFAULT 1,
    UNIQUE (agency, year, template, sha256)
);
