-- group_positions: what a filing says its group holds, per CUSIP. Members of a group report overlapping
-- positions (a fund, its general partner, its manager), so the group's holding is the LARGEST aggregate
-- among members not flagged "aggregate excludes certain shares" (row 12), never the sum. NULL when every
-- member is flagged or none printed a figure. group_percent_of_class is the largest percent among the
-- same members.
CREATE OR REPLACE VIEW group_positions AS
SELECT
    p.holder_cusip AS cusip,
    f.filing_id,
    f.accession_number,
    f.form_type,
    f.amendment_number,
    f.filed_date,
    f.event_date,
    coalesce(f.subject_cik, f.issuer_cik) AS subject_cik,
    coalesce(f.issuer_name, f.subject_name) AS issuer_name,
    count(*) AS n_members,
    count(*) FILTER (WHERE NOT coalesce(p.excludes_certain_shares, false)) AS n_members_counted,
    max(p.aggregate_amount) FILTER (WHERE NOT coalesce(p.excludes_certain_shares, false))
        AS group_aggregate_amount,
    max(p.percent_of_class) FILTER (WHERE NOT coalesce(p.excludes_certain_shares, false))
        AS group_percent_of_class,
    arg_max(p.holder_key, p.aggregate_amount) FILTER (WHERE NOT coalesce(p.excludes_certain_shares, false))
        AS largest_member_key,
    arg_max(p.name, p.aggregate_amount) FILTER (WHERE NOT coalesce(p.excludes_certain_shares, false))
        AS largest_member_name,
    list(p.holder_key ORDER BY p.seq) AS member_keys
FROM reporting_persons p
JOIN filings f ON f.filing_id = p.filing_id
WHERE p.holder_cusip IS NOT NULL
GROUP BY ALL;
