-- The key each widget's sidecar expects from the server (issue 11): the
-- server is the only client a sidecar answers. Never part of an answer or event.
ALTER TABLE widgets ADD COLUMN sidecar_key TEXT;
