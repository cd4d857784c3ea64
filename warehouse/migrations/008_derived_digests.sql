-- 008: filings.positions_digest and filings.filing_cusips_digest, digests of what the two derived tables,
-- positions (002) and filing_cusips (007), read of a filing and its reporting persons
-- (warehouse/batch.py: add_digest_columns).
-- Why: a reparse after a parser upgrade replaces every filing, and most give the same positions and
-- CUSIP rows as before. positions is kept in CUSIP order, not filing order, so deleting a batch's old
-- rows from it reads the whole table (about 20 ms a batch at 1M filings), and telling whether they
-- changed by reading them would cost the same. With the digests stored beside the filing, a load
-- compares them in the filings lookup it already makes, and rewrites the derived rows (and rebuilds
-- the CUSIP mappings) only of filings whose rows changed.
-- NULL (every filing stored before this version) means "not known": those filings' derived rows are
-- rewritten the next time they are replaced, as before, which fills the digests in.

ALTER TABLE filings ADD COLUMN positions_digest UBIGINT;
ALTER TABLE filings ADD COLUMN filing_cusips_digest UBIGINT;
