-- ownership_history: one row per CUSIP x holder x filing, in the order the filings were made, with the
-- figures of the holder's previous report on that CUSIP and the change since. Both schedules: a
-- holder's 13G and 13D reports on a CUSIP are one history (its stake), and `schedule` says which each
-- report is ('13D' or '13G'), previous_schedule which the one before was (schedule_switches lists the
-- reports where the two differ).
--   cusip        the cover page's own CUSIP when printed, else the filing's (rows with neither are left out)
--   holder_key   'cik:<cik>' or 'name:<normalized name>' (warehouse/identity.py); holder_name as printed
--   order        filed_date, then the original before its amendments, then amendment number, then
--                acceptance time and filing_id (event dates are sometimes misprinted by years, filed
--                dates are EDGAR's own)
--   change_*     this report minus the previous one; NULL when either side was not printed
-- A holder printed twice on one filing for one CUSIP keeps its first cover page.
CREATE OR REPLACE VIEW ownership_history AS
SELECT
    *,
    row_number() OVER w AS report_number,
    lag(filing_id) OVER w AS previous_filing_id,
    lag(schedule) OVER w AS previous_schedule,
    lag(filed_date) OVER w AS previous_filed_date,
    lag(aggregate_amount) OVER w AS previous_aggregate_amount,
    lag(percent_of_class) OVER w AS previous_percent_of_class,
    aggregate_amount - lag(aggregate_amount) OVER w AS change_in_shares,
    round(percent_of_class - lag(percent_of_class) OVER w, 6) AS change_in_percent
FROM positions  -- reporting_persons joined to filings, indexed on cusip (migration 002)
WINDOW w AS (
    PARTITION BY cusip, holder_key
    ORDER BY coalesce(filed_date, event_date), is_amendment, amendment_number NULLS FIRST,
             acceptance_datetime, filing_id
);
