-- schedule_switches: each time a holder's reports on a CUSIP move from one schedule to the other: from
-- 13G to 13D (a passive holder turns active, the signal most watched) or from 13D back to 13G. One row
-- per switch, with the last report on the old schedule (from_*) and the first on the new one (to_*),
-- both from ownership_history (so the order of reports is that view's).
--   direction  'to_13D' (became active) or 'to_13G' (became passive again)
--   days_between  filed dates' difference; NULL where either is unknown
CREATE OR REPLACE VIEW schedule_switches AS
SELECT
    h.cusip,
    h.holder_key,
    h.holder_name,
    h.subject_cik,
    h.issuer_name,
    'to_' || h.schedule AS direction,
    h.previous_schedule AS from_schedule,
    h.schedule AS to_schedule,
    p.filing_id AS from_filing_id,
    p.accession_number AS from_accession_number,
    p.form_type AS from_form_type,
    p.filed_date AS from_filed_date,
    p.aggregate_amount AS from_aggregate_amount,
    p.percent_of_class AS from_percent_of_class,
    h.filing_id AS to_filing_id,
    h.accession_number AS to_accession_number,
    h.form_type AS to_form_type,
    h.filed_date AS to_filed_date,
    h.aggregate_amount AS to_aggregate_amount,
    h.percent_of_class AS to_percent_of_class,
    h.filed_date - p.filed_date AS days_between
FROM ownership_history h
JOIN ownership_history p
    ON p.cusip = h.cusip AND p.holder_key = h.holder_key AND p.report_number = h.report_number - 1
WHERE h.previous_schedule IS NOT NULL AND h.schedule <> h.previous_schedule;
