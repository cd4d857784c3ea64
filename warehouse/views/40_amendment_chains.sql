-- amendment_chains: each filing's chain (the original 13D or 13G and its amendments) and its place in it.
-- A chain is of one schedule (`schedule`): a holder's 13G chain and its 13D chain on the same issuer are
-- two chains, even where an XML header points across them.
--   chain_id   filing_id of the original 13D, or of the earliest stored filing of the chain when the
--              original is not stored
--   position   1 for the original (or earliest), then amendments in order
--   linked_by  'previous_accession' when the filing's XML header names the original (or a filing of its
--              chain) and that filing is stored; 'header' otherwise
-- Without an XML pointer a chain is inferred: filings on the same subject company (subject CIK, else
-- issuer CIK, else CUSIP) by the same filer (first FILED BY CIK, else the first reporting person's
-- holder_key), in order of filed date then amendment number; each original 13D starts a new chain.
-- The CUSIP is not part of that key on purpose: a reverse split changes an issuer's CUSIP mid-chain.
CREATE OR REPLACE VIEW amendment_chains AS
WITH first_person AS (
    SELECT filing_id, arg_min(holder_key, seq) AS holder_key FROM reporting_persons GROUP BY filing_id
),
keyed AS (
    SELECT
        f.filing_id,
        f.accession_number,
        f.previous_accession_number,
        f.schedule,
        coalesce(f.is_amendment, f.amendment_number IS NOT NULL) AS is_amendment,
        f.amendment_number,
        f.filed_date,
        f.acceptance_datetime,
        coalesce('cik:' || coalesce(f.subject_cik, f.issuer_cik), 'cusip:' || f.cusip, 'filing:' || f.filing_id)
            AS subject_key,
        coalesce('cik:' || f.filer_ciks[1], fp.holder_key, 'filing:' || f.filing_id) AS filer_key
    FROM filings f LEFT JOIN first_person fp ON fp.filing_id = f.filing_id
),
segmented AS (
    SELECT *,
        sum(CASE WHEN is_amendment THEN 0 ELSE 1 END) OVER (
            PARTITION BY subject_key, filer_key, schedule
            ORDER BY filed_date, is_amendment, amendment_number NULLS FIRST, acceptance_datetime, filing_id
            ROWS UNBOUNDED PRECEDING) AS segment
    FROM keyed
),
inferred AS (
    SELECT *,
        first_value(filing_id) OVER (
            PARTITION BY subject_key, filer_key, schedule, segment
            ORDER BY filed_date, is_amendment, amendment_number NULLS FIRST, acceptance_datetime, filing_id
            ROWS UNBOUNDED PRECEDING) AS inferred_chain_id
    FROM segmented
),
resolved AS (
    SELECT i.*,
        coalesce(t.inferred_chain_id, i.inferred_chain_id) AS chain_id,
        CASE WHEN t.filing_id IS NULL THEN 'header' ELSE 'previous_accession' END AS linked_by
    FROM inferred i
    LEFT JOIN inferred t
        ON t.accession_number = i.previous_accession_number AND t.filing_id <> i.filing_id
       AND t.schedule = i.schedule
)
SELECT
    filing_id,
    chain_id,
    row_number() OVER (
        PARTITION BY chain_id
        ORDER BY filing_id <> chain_id, filed_date, is_amendment, amendment_number NULLS FIRST,
                 acceptance_datetime, filing_id) AS position,
    linked_by,
    schedule,
    is_amendment,
    amendment_number,
    filed_date,
    subject_key,
    filer_key
FROM resolved;
