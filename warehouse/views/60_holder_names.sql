-- holder_names: every printed name behind each holder_key, to review how names were merged (or a holder
-- that appears under two keys: by name in old filings, by CIK in new ones). `schedules`: the schedules
-- ('13D', '13G') the name was printed on.
CREATE OR REPLACE VIEW holder_names AS
SELECT
    p.holder_key,
    p.name AS printed_name,
    count(DISTINCT p.filing_id) AS n_filings,
    list(DISTINCT f.schedule ORDER BY f.schedule) AS schedules,
    min(f.filed_date) AS first_filed,
    max(f.filed_date) AS last_filed
FROM reporting_persons p JOIN filings f ON f.filing_id = p.filing_id
GROUP BY ALL;
