-- Calendar feeds (docs/exports.md, "Calendar feeds"): one secret URL per feed, kept only as the SHA-256 of its
-- token, so a copy of the database opens no feed. kind: 'own' (the person's absences and holidays) or 'team'.
CREATE TABLE calendar_feeds (
  id          INTEGER PRIMARY KEY,
  partner_id  INTEGER NOT NULL REFERENCES partners(id),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  kind        TEXT NOT NULL,
  token_hash  TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_calendar_feeds_token ON calendar_feeds (token_hash);
CREATE INDEX ix_calendar_feeds_user ON calendar_feeds (user_id, id);
