-- 006: schedule, '13D' or '13G', on every filing, reporting person and position; rule_13d_1 on filings.
-- Why: from parser 0.3.0 edgar13d reads Schedule 13G (passive holders) beside 13D, and every view
-- tells the two apart (a chain never mixes them; schedule_switches follows a holder from one to the
-- other). Every row an older edgar13d stored is a 13D: it refused 13G filings (failure reason
-- not_13d), so existing rows take '13D' here and no re-crawl is needed. The 13G filings it refused
-- are still in the raw archive when they were fetched: `edgar13d reparse` (every archived filing) reads them again.

ALTER TABLE filings ADD COLUMN schedule VARCHAR DEFAULT '13D';
UPDATE filings SET schedule = '13D' WHERE schedule IS NULL;
ALTER TABLE filings ALTER COLUMN schedule SET NOT NULL;
ALTER TABLE filings ALTER COLUMN schedule DROP DEFAULT;
ALTER TABLE filings ADD COLUMN rule_13d_1 VARCHAR[];

ALTER TABLE reporting_persons ADD COLUMN schedule VARCHAR DEFAULT '13D';
UPDATE reporting_persons SET schedule = '13D' WHERE schedule IS NULL;
ALTER TABLE reporting_persons ALTER COLUMN schedule SET NOT NULL;
ALTER TABLE reporting_persons ALTER COLUMN schedule DROP DEFAULT;

ALTER TABLE positions ADD COLUMN schedule VARCHAR DEFAULT '13D';
UPDATE positions SET schedule = '13D' WHERE schedule IS NULL;
