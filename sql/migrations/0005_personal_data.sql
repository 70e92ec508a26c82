-- disclosed schema, migration 0005: complainants' and applicants' identifiers.
-- They arrive in events but are stored only as "hmac-sha256:<hex>", keyed
-- with [privacy] hmac_key_file (so a repeat complainant still counts once);
-- without a key they are not stored at all. The stored payload is redacted
-- the same way.
ALTER TABLE disclosed.complaint_received
    ADD COLUMN complainant_name text, ADD COLUMN complainant_phone text,
    ADD COLUMN complainant_id_number text;
ALTER TABLE disclosed.application_received
    ADD COLUMN applicant_name text, ADD COLUMN applicant_phone text,
    ADD COLUMN applicant_id_number text;
-- Anything else would be a clear identifier: refuse it.
ALTER TABLE disclosed.complaint_received ADD CONSTRAINT personal_data_hashed CHECK (
    coalesce(complainant_name, 'hmac-sha256:') LIKE 'hmac-sha256:%' AND
    coalesce(complainant_phone, 'hmac-sha256:') LIKE 'hmac-sha256:%' AND
    coalesce(complainant_id_number, 'hmac-sha256:') LIKE 'hmac-sha256:%');
ALTER TABLE disclosed.application_received ADD CONSTRAINT personal_data_hashed CHECK (
    coalesce(applicant_name, 'hmac-sha256:') LIKE 'hmac-sha256:%' AND
    coalesce(applicant_phone, 'hmac-sha256:') LIKE 'hmac-sha256:%' AND
    coalesce(applicant_id_number, 'hmac-sha256:') LIKE 'hmac-sha256:%');
