-- 003: citizenship_code, row 6 as an EDGAR state/country code (DE, NY, E9, X1, ...), beside the printed
-- citizenship in reporting_persons and positions, so one query groups holders by place across every era.
-- Why: the XML era prints the code, text and HTML print words ("a Delaware limited partnership",
-- "U.S.A."); extractors/places.py maps the words (parser 0.2.0 on). XML rows already hold the code as
-- their citizenship and get it here; text and HTML rows stored by an older parser get theirs from
-- `edgar13d reparse --below-version 0.2.0`, which re-reads the kept raw filings offline.

ALTER TABLE reporting_persons ADD COLUMN citizenship_code VARCHAR;

UPDATE reporting_persons SET citizenship_code = upper(trim(citizenship))
WHERE regexp_full_match(upper(trim(citizenship)), '[A-Z0-9]{2}')
  AND filing_id IN (SELECT filing_id FROM filings WHERE document_format = 'xml');

ALTER TABLE positions ADD COLUMN citizenship_code VARCHAR;

UPDATE positions SET citizenship_code = p.citizenship_code
FROM reporting_persons p
WHERE p.filing_id = positions.filing_id AND p.seq = positions.seq AND p.citizenship_code IS NOT NULL;
