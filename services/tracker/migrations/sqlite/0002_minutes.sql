-- Hits per minute, kept with every insert (same transaction): a histogram
-- whose buckets are whole minutes, and top pages, read these instead of
-- every hit (a week is 10,080 rows here, however many hits it had).
-- `minute` is the minute's start, Unix milliseconds.
CREATE TABLE hit_minutes (
    minute BIGINT PRIMARY KEY,
    hits BIGINT NOT NULL
);
CREATE TABLE page_minutes (
    page TEXT NOT NULL,
    minute BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (page, minute)
);
CREATE INDEX page_minutes_by_minute ON page_minutes (minute, page, hits);
INSERT INTO hit_minutes (minute, hits)
    SELECT at / 60000 * 60000, COUNT(*) FROM hits GROUP BY 1;
INSERT INTO page_minutes (page, minute, hits)
    SELECT page, at / 60000 * 60000, COUNT(*) FROM hits GROUP BY 1, 2;
