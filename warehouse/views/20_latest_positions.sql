-- latest_positions: each holder's latest reported stake per CUSIP (the last row of ownership_history),
-- with how many reports it has made on that CUSIP. A latest report that omits the figures shows NULLs:
-- look at ownership_history for the earlier ones. `schedule` is the latest report's ('13D' or '13G'):
-- a holder whose last word is a 13G reports as a passive holder.
-- Read from positions with ownership_history's own window (the same order, 10_ownership_history.sql;
-- tests/test_warehouse_views.py holds the two to it): one window pass instead of a window over the
-- view's window, which was half of a one-CUSIP query's time at 1M filings.
CREATE OR REPLACE VIEW latest_positions AS
SELECT
    cusip, holder_key, holder_name, holder_cik, subject_cik, issuer_name,
    filing_id, accession_number, form_type, schedule, amendment_number, filed_date, event_date,
    sole_voting_power, shared_voting_power, sole_dispositive_power, shared_dispositive_power,
    aggregate_amount, excludes_certain_shares, percent_of_class, citizenship_code,
    aggregate_amount - lag(aggregate_amount) OVER w AS change_in_shares,
    round(percent_of_class - lag(percent_of_class) OVER w, 6) AS change_in_percent,
    row_number() OVER w AS n_reports
FROM positions
WINDOW w AS (
    PARTITION BY cusip, holder_key
    ORDER BY coalesce(filed_date, event_date), is_amendment, amendment_number NULLS FIRST,
             acceptance_datetime, filing_id
)
QUALIFY lead(filing_id) OVER w IS NULL;
