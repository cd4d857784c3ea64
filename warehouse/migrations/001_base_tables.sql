-- 001: the four extractor tables (columns of extractors/schema.py, checked by warehouse.ddl.schema_drift),
-- the CUSIP -> issuer mappings learned from filings, crawl state, the raw-archive register and the
-- failure log. All times are UTC.

CREATE TABLE filings (
    filing_id VARCHAR NOT NULL PRIMARY KEY,
    accession_number VARCHAR,
    parser_version VARCHAR NOT NULL,
    warnings VARCHAR[],
    form_type VARCHAR,
    document_format VARCHAR NOT NULL,
    is_amendment BOOLEAN,
    amendment_number INTEGER,
    filed_date DATE,
    acceptance_datetime TIMESTAMP,
    event_date DATE,
    subject_cik VARCHAR,
    subject_name VARCHAR,
    issuer_cik VARCHAR,
    issuer_name VARCHAR,
    security_title VARCHAR,
    cusip VARCHAR,
    cusip_raw VARCHAR,
    cusips VARCHAR[],
    previous_accession_number VARCHAR,
    filer_ciks VARCHAR[],
    filer_names VARCHAR[],
    group_members VARCHAR[],
    sec_file_number VARCHAR,
    content_sha256 VARCHAR NOT NULL,
    source VARCHAR,
    -- when this version of the filing's rows was loaded
    loaded_at TIMESTAMP
);

CREATE TABLE reporting_persons (
    filing_id VARCHAR NOT NULL,
    accession_number VARCHAR,
    parser_version VARCHAR NOT NULL,
    warnings VARCHAR[],
    seq INTEGER NOT NULL,
    name VARCHAR,
    cik VARCHAR,
    irs_number VARCHAR,
    member_of_group VARCHAR,
    source_of_funds VARCHAR[],
    legal_proceedings BOOLEAN,
    citizenship VARCHAR,
    sole_voting_power DOUBLE,
    shared_voting_power DOUBLE,
    sole_dispositive_power DOUBLE,
    shared_dispositive_power DOUBLE,
    aggregate_amount DOUBLE,
    excludes_certain_shares BOOLEAN,
    percent_of_class DOUBLE,
    type_of_reporting_person VARCHAR[],
    cusip VARCHAR,
    -- identity of the holder across filings (warehouse.identity.holder_key)
    holder_key VARCHAR,
    -- the CUSIP this cover page reports on: its own cusip when printed, else the filing's
    holder_cusip VARCHAR
);

CREATE TABLE items (
    filing_id VARCHAR NOT NULL,
    accession_number VARCHAR,
    parser_version VARCHAR NOT NULL,
    warnings VARCHAR[],
    item_number INTEGER NOT NULL,
    heading VARCHAR,
    text VARCHAR
);

CREATE TABLE signatures (
    filing_id VARCHAR NOT NULL,
    accession_number VARCHAR,
    parser_version VARCHAR NOT NULL,
    warnings VARCHAR[],
    seq INTEGER NOT NULL,
    signer VARCHAR,
    name VARCHAR,
    title VARCHAR,
    date DATE
);

-- Which company a CUSIP belongs to, as the filings say; rebuilt for the touched CUSIPs at every load.
CREATE TABLE cusip_issuers (
    cusip VARCHAR NOT NULL,
    subject_cik VARCHAR NOT NULL,
    issuer_name VARCHAR,
    first_seen DATE,
    last_seen DATE,
    n_filings INTEGER NOT NULL,
    PRIMARY KEY (cusip, subject_cik)
);

-- One row per daily index read by the nightly job.
CREATE TABLE crawl_days (
    day DATE NOT NULL PRIMARY KEY,
    status VARCHAR NOT NULL,          -- 'done', 'partial', 'failed', 'no_index' (weekend, holiday)
    n_filings INTEGER,
    detail VARCHAR,
    finished_at TIMESTAMP NOT NULL
);

-- Backfills by CUSIP, CIK or quarter, with how far each got.
CREATE TABLE backfills (
    kind VARCHAR NOT NULL,            -- 'cusip', 'cik', 'quarter', ...
    key VARCHAR NOT NULL,
    status VARCHAR NOT NULL,          -- 'running', 'done', 'failed'
    watermark VARCHAR,                -- last point reached (a date, a page, an accession)
    detail VARCHAR,
    last_run TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, key)
);

-- Where the raw bytes of each filing are kept, so it can be re-extracted offline.
CREATE TABLE raw_archive (
    filing_id VARCHAR NOT NULL PRIMARY KEY,
    sha256 VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    size_bytes BIGINT,
    fetched_at TIMESTAMP NOT NULL
);

-- Every filing that could not be fetched, parsed, loaded or matched; resolved when it later loads.
CREATE SEQUENCE failure_id_seq;
CREATE TABLE failures (
    id BIGINT NOT NULL PRIMARY KEY DEFAULT nextval('failure_id_seq'),
    filing_id VARCHAR,                -- accession number, 'sha256:<hex>', or NULL when unknown
    stage VARCHAR NOT NULL CHECK (stage IN ('fetch', 'parse', 'load', 'match')),
    reason VARCHAR NOT NULL,          -- stable code (ExtractionError.reason, 'http_404', ...)
    detail VARCHAR,
    source VARCHAR,                   -- URL or path
    occurred_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP
);
