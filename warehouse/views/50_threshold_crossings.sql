-- threshold_crossings: each time a holder or a group moved across 5, 10, 15, 20, 25 or 50 percent of
-- the class, up or down. One row per crossing (a jump from 4% to 12% crosses 5 and 10: two rows).
--   level        'holder' (from ownership_history) or 'group' (group_positions, followed along the
--                amendment chain; only filings where the group has more than one member on either side)
--   who          holder_key for a holder, chain_id for a group
--   from_percent NULL on the holder's or group's first report: that report counts as a move up from 0
-- Crossing up: from < threshold <= to. Crossing down: from >= threshold > to. Reports that print no
-- percent are skipped, so the move is measured from the previous report that printed one.
-- Both schedules: `schedule` is the crossing report's ('13D' or '13G'); a holder's moves run across its
-- 13G and 13D reports, a group's along one amendment chain (of one schedule).
CREATE OR REPLACE VIEW threshold_crossings AS
WITH thresholds(threshold) AS (VALUES (5.0::DOUBLE), (10.0), (15.0), (20.0), (25.0), (50.0)),
holder_moves AS (
    SELECT
        'holder' AS level, cusip, holder_key AS who, holder_name AS who_name,
        filing_id, accession_number, form_type, schedule, filed_date, event_date, subject_cik, issuer_name,
        lag(percent_of_class) OVER w AS from_percent,
        percent_of_class AS to_percent
    FROM ownership_history
    WHERE percent_of_class IS NOT NULL
    WINDOW w AS (PARTITION BY cusip, holder_key ORDER BY report_number)
),
group_rows AS (
    SELECT g.*, c.chain_id, c.position,
        lag(g.n_members) OVER w AS previous_n_members,
        lag(g.group_percent_of_class) OVER w AS from_percent
    FROM group_positions g
    JOIN amendment_chains c ON c.filing_id = g.filing_id
    WHERE g.group_percent_of_class IS NOT NULL
    WINDOW w AS (PARTITION BY g.cusip, c.chain_id ORDER BY c.position)
),
group_moves AS (
    SELECT
        'group' AS level, cusip, chain_id AS who, largest_member_name AS who_name,
        filing_id, accession_number, form_type, schedule, filed_date, event_date, subject_cik, issuer_name,
        from_percent,
        group_percent_of_class AS to_percent
    FROM group_rows
    WHERE n_members > 1 OR previous_n_members > 1
),
moves AS (
    SELECT * FROM holder_moves
    UNION ALL
    SELECT * FROM group_moves
)
SELECT
    m.level, m.cusip, m.who, m.who_name, t.threshold,
    CASE WHEN m.to_percent >= t.threshold THEN 'up' ELSE 'down' END AS direction,
    m.from_percent, m.to_percent,
    m.filing_id, m.accession_number, m.form_type, m.schedule, m.filed_date, m.event_date, m.subject_cik, m.issuer_name
FROM moves m
JOIN thresholds t
    ON (coalesce(m.from_percent, 0) < t.threshold AND m.to_percent >= t.threshold)
    OR (m.from_percent >= t.threshold AND m.to_percent < t.threshold);
