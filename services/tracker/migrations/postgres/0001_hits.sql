-- One row per pixel load. `at` is Unix time in milliseconds.
CREATE TABLE hits (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    page TEXT NOT NULL,
    referrer TEXT,
    user_agent TEXT,
    user_name TEXT
);
-- Hits per bucket over a range read this index alone (an index-only scan).
CREATE INDEX hits_by_time ON hits (at);
-- One page's histogram, and top pages, read this one.
CREATE INDEX hits_by_page_time ON hits (page, at);
