-- group_positions: what a filing says its group holds, per CUSIP. Members of a group report overlapping
-- positions (a fund, its general partner, its manager), so the group's holding is the LARGEST aggregate
-- among members not flagged "aggregate excludes certain shares" (row 12), never the sum. NULL when every
-- member is flagged or none printed a figure. group_percent_of_class is the largest percent among the
-- same members. `schedule` is the filing's ('13D' or '13G').
CREATE OR REPLACE VIEW group_positions AS
SELECT
    cusip,
    filing_id,
    accession_number,
    form_type,
    schedule,
    amendment_number,
    filed_date,
    event_date,
    subject_cik,
    issuer_name,
    count(*) AS n_members,
    count(*) FILTER (WHERE NOT coalesce(excludes_certain_shares, false)) AS n_members_counted,
    max(aggregate_amount) FILTER (WHERE NOT coalesce(excludes_certain_shares, false))
        AS group_aggregate_amount,
    max(percent_of_class) FILTER (WHERE NOT coalesce(excludes_certain_shares, false))
        AS group_percent_of_class,
    -- Members that print the same largest aggregate (two zeros on an exit filing) are told apart by
    -- their cover page's order, so the same filing always names the same member.
    first(holder_key ORDER BY aggregate_amount DESC, seq)
        FILTER (WHERE NOT coalesce(excludes_certain_shares, false) AND aggregate_amount IS NOT NULL)
        AS largest_member_key,
    first(holder_name ORDER BY aggregate_amount DESC, seq)
        FILTER (WHERE NOT coalesce(excludes_certain_shares, false) AND aggregate_amount IS NOT NULL)
        AS largest_member_name,
    list(holder_key ORDER BY seq) AS member_keys
FROM positions  -- reporting_persons joined to filings (migration 002)
GROUP BY ALL;
