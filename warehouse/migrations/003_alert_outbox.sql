-- 003: alert_outbox, the filings the nightly job has still to announce (config.yaml alerts.urls).
-- Why: nightly sends one message per run about the filings it stored. A run killed between storing a
-- day and sending, or a destination that is down at 6:30, must not lose that news: each day's filings
-- are queued before the day is marked done, and a row leaves the queue (sent_at) only once a message
-- naming it reached at least one destination; the next run sends what is still queued.
CREATE TABLE alert_outbox (
    filing_id VARCHAR NOT NULL PRIMARY KEY,
    day DATE,                       -- the daily index the filing was listed in
    queued_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
