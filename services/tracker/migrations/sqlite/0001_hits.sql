-- One row per pixel load. `at` is Unix time in milliseconds.
CREATE TABLE hits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    page TEXT NOT NULL,
    referrer TEXT,
    user_agent TEXT,
    user_name TEXT
);
-- Hits per bucket over a range read this index alone (a covering range scan).
CREATE INDEX hits_by_time ON hits (at);
-- One page's histogram, and top pages, read this one.
CREATE INDEX hits_by_page_time ON hits (page, at);
