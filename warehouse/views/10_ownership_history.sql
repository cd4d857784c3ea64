-- ownership_history: one row per CUSIP x holder x filing, in the order the filings were made, with the
-- figures of the holder's previous report on that CUSIP and the change since.
--   cusip        the cover page's own CUSIP when printed, else the filing's (rows with neither are left out)
--   holder_key   'cik:<cik>' or 'name:<normalized name>' (warehouse/identity.py); holder_name as printed
--   order        filed_date, then the original before its amendments, then amendment number, then
--                acceptance time and filing_id (event dates are sometimes misprinted by years, filed
--                dates are EDGAR's own)
--   change_*     this report minus the previous one; NULL when either side was not printed
-- A holder printed twice on one filing for one CUSIP keeps its first cover page.
CREATE OR REPLACE VIEW ownership_history AS
WITH person_rows AS (
    SELECT
        p.holder_cusip AS cusip,
        p.holder_key,
        p.name AS holder_name,
        p.cik AS holder_cik,
        f.filing_id,
        f.accession_number,
        f.form_type,
        coalesce(f.is_amendment, f.amendment_number IS NOT NULL) AS is_amendment,
        f.amendment_number,
        f.filed_date,
        f.event_date,
        f.acceptance_datetime,
        coalesce(f.subject_cik, f.issuer_cik) AS subject_cik,
        coalesce(f.issuer_name, f.subject_name) AS issuer_name,
        p.seq,
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
    QUALIFY row_number() OVER (PARTITION BY p.holder_cusip, p.holder_key, p.filing_id ORDER BY p.seq) = 1
)
SELECT
    *,
    row_number() OVER w AS report_number,
    lag(filing_id) OVER w AS previous_filing_id,
    lag(filed_date) OVER w AS previous_filed_date,
    lag(aggregate_amount) OVER w AS previous_aggregate_amount,
    lag(percent_of_class) OVER w AS previous_percent_of_class,
    aggregate_amount - lag(aggregate_amount) OVER w AS change_in_shares,
    round(percent_of_class - lag(percent_of_class) OVER w, 6) AS change_in_percent
FROM person_rows
WINDOW w AS (
    PARTITION BY cusip, holder_key
    ORDER BY coalesce(filed_date, event_date), is_amendment, amendment_number NULLS FIRST,
             acceptance_datetime, filing_id
);
