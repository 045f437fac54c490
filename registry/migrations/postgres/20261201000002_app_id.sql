-- The FDC3 appId each widget is known by (issue 13); unique, as tags are.
-- NULL for rows registered before: read as the widget id.
ALTER TABLE widgets ADD COLUMN app_id TEXT;
CREATE UNIQUE INDEX widgets_app_id ON widgets (app_id);
