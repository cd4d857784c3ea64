-- 009: positions' five high-cardinality text columns (holder_key, filing_id, holder_name, holder_cik,
-- accession_number) stored uncompressed; the table is otherwise the same (columns, order, defaults,
-- the index on cusip) and keeps its rows, in CUSIP order.
-- Why: positions exists to answer one-CUSIP questions fast (002). DuckDB compresses text as a
-- dictionary per segment, and reading even one vector of such a column first decodes the segment's
-- whole dictionary: for a column where nearly every value differs that is most of a one-CUSIP query.
-- At 1M generated filings (bench/warehouse_bench.py) reading one CUSIP's 107 rows took 7.1 ms, of
-- which these five columns were 5 ms; uncompressed, 2.0 ms, and ownership_history fell from 17.6 to
-- 9.4 ms, latest_positions from 15.1 to 7.2 ms. The price is space: positions grew from 125 to 258 MB
-- there (the whole database by a fifth). The other text columns repeat within a CUSIP and stay
-- compressed. DuckDB cannot change a column's compression in place, hence the copy.

DROP INDEX IF EXISTS positions_cusip;

CREATE TABLE positions_009 (
    cusip VARCHAR NOT NULL,
    holder_key VARCHAR NOT NULL USING COMPRESSION uncompressed,
    filing_id VARCHAR NOT NULL USING COMPRESSION uncompressed,
    seq INTEGER NOT NULL,
    holder_name VARCHAR USING COMPRESSION uncompressed,
    holder_cik VARCHAR USING COMPRESSION uncompressed,
    accession_number VARCHAR USING COMPRESSION uncompressed,
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
    percent_of_class DOUBLE,
    citizenship_code VARCHAR,
    schedule VARCHAR DEFAULT '13D'
);

INSERT INTO positions_009 BY NAME
SELECT * FROM positions ORDER BY cusip, holder_key, filing_id, seq;

DROP TABLE positions;
ALTER TABLE positions_009 RENAME TO positions;
CREATE INDEX positions_cusip ON positions (cusip);
