-- 005: a failed fetch is a debt. Why: during an outage (every filing answering 503) a nightly recorded
-- the failures and marked its days done, and no later command ever fetched those filings again. Now a
-- day whose filings could not all be fetched is 'owed' in crawl_days, and its open failures say which
-- day owes them, since when, and how many runs have tried; later nightly runs fetch them again until
-- they are stored, or give up on them (given_up_at) after a bounded number of runs over several days.
ALTER TABLE failures ADD COLUMN day DATE;              -- the nightly day whose index listed the filing
ALTER TABLE failures ADD COLUMN first_seen TIMESTAMP;  -- when this failure was first met
ALTER TABLE failures ADD COLUMN tries INTEGER DEFAULT 1;  -- runs that met it (a refresh adds one)
ALTER TABLE failures ADD COLUMN given_up_at TIMESTAMP; -- when the nightly stopped trying
UPDATE failures SET first_seen = occurred_at, tries = 1 WHERE first_seen IS NULL;
