-- 007: filing_cusips, one row per filing x CUSIP it prints (its cover CUSIP and every other it lists),
-- with what the CUSIP-issuer table is computed from.
-- Why: a load that replaces filings (every batch of a reparse) rebuilds the cusip_issuers rows of the
-- CUSIPs it touched, and finding the filings that print those CUSIPs meant testing every filing's
-- list of CUSIPs: about 1.1 s per 200-filing batch on a 400k-filing database, whatever the batch held.
-- From this table the rebuild reads the touched CUSIPs' rows only. warehouse/store.py keeps it in step
-- with filings inside every load transaction (FILING_CUSIPS_SELECT); the backfill below is the same
-- query as of this version, run once over what an older database already holds.

CREATE TABLE filing_cusips (
    cusip VARCHAR NOT NULL,
    filing_id VARCHAR NOT NULL,
    subject_cik VARCHAR,              -- coalesce(subject_cik, issuer_cik)
    issuer_name VARCHAR,              -- coalesce(subject_name, issuer_name)
    filed_date DATE
);

INSERT INTO filing_cusips
SELECT c.cusip, f.filing_id, coalesce(f.subject_cik, f.issuer_cik), coalesce(f.subject_name, f.issuer_name),
       f.filed_date
FROM (
    SELECT filing_id, unnest(list_distinct(list_append(coalesce(cusips, []::VARCHAR[]), cusip))) AS cusip
    FROM filings
) c JOIN filings f ON f.filing_id = c.filing_id
WHERE c.cusip IS NOT NULL;
