-- latest_positions: each holder's latest reported stake per CUSIP (the last row of ownership_history),
-- with how many reports it has made on that CUSIP. A latest report that omits the figures shows NULLs:
-- look at ownership_history for the earlier ones. `schedule` is the latest report's ('13D' or '13G'):
-- a holder whose last word is a 13G reports as a passive holder.
CREATE OR REPLACE VIEW latest_positions AS
SELECT
    cusip, holder_key, holder_name, holder_cik, subject_cik, issuer_name,
    filing_id, accession_number, form_type, schedule, amendment_number, filed_date, event_date,
    sole_voting_power, shared_voting_power, sole_dispositive_power, shared_dispositive_power,
    aggregate_amount, excludes_certain_shares, percent_of_class, citizenship_code,
    change_in_shares, change_in_percent,
    report_number AS n_reports
FROM ownership_history
QUALIFY report_number = max(report_number) OVER (PARTITION BY cusip, holder_key);
