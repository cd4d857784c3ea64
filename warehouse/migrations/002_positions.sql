-- 002: positions, one row per CUSIP x holder x filing (the holder's first cover page there), carrying the filing's dates and names beside the
-- holder's figures, with an ART index on cusip.
-- Why: ownership_history for one CUSIP joined reporting_persons to filings; DuckDB answered it with two
-- full scans (89 ms at 1M generated filings, bench/warehouse_bench.py). From this table and its index
-- the same query reads only the CUSIP's rows (about 16 ms). warehouse/store.py keeps it in step with
-- reporting_persons inside every load transaction (POSITIONS_SELECT); the backfill below is the same
-- query as of this version, run once over what an older database already holds.

CREATE TABLE positions (
    cusip VARCHAR NOT NULL,           -- reporting_persons.holder_cusip
    holder_key VARCHAR NOT NULL,
    filing_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    holder_name VARCHAR,
    holder_cik VARCHAR,
    accession_number VARCHAR,
    form_type VARCHAR,
    is_amendment BOOLEAN NOT NULL,
    amendment_number INTEGER,
    filed_date DATE,
    event_date DATE,
    acceptance_datetime TIMESTAMP,
    subject_cik VARCHAR,
    issuer_name VARCHAR,
    member_of_group VARCHAR,
    sole_voting_power DOUBLE,
    shared_voting_power DOUBLE,
    sole_dispositive_power DOUBLE,
    shared_dispositive_power DOUBLE,
    aggregate_amount DOUBLE,
    excludes_certain_shares BOOLEAN,
    percent_of_class DOUBLE
);

INSERT INTO positions BY NAME
SELECT
    p.holder_cusip AS cusip,
    p.holder_key,
    p.filing_id,
    p.seq,
    p.name AS holder_name,
    p.cik AS holder_cik,
    f.accession_number,
    f.form_type,
    coalesce(f.is_amendment, f.amendment_number IS NOT NULL) AS is_amendment,
    f.amendment_number,
    f.filed_date,
    f.event_date,
    f.acceptance_datetime,
    coalesce(f.subject_cik, f.issuer_cik) AS subject_cik,
    coalesce(f.issuer_name, f.subject_name) AS issuer_name,
    p.member_of_group,
    p.sole_voting_power,
    p.shared_voting_power,
    p.sole_dispositive_power,
    p.shared_dispositive_power,
    p.aggregate_amount,
    p.excludes_certain_shares,
    p.percent_of_class
FROM reporting_persons p
JOIN filings f ON f.filing_id = p.filing_id
WHERE p.holder_cusip IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY p.holder_cusip, p.holder_key, p.filing_id ORDER BY p.seq) = 1;

CREATE INDEX positions_cusip ON positions (cusip);
