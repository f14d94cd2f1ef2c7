-- The web app's browser sessions (docs/webapp.md, "Sessions"): the cookie carries a random value, the row keeps only
-- its SHA-256, so a copy of the database logs nobody in. One PRIMARY KEY lookup per page.
CREATE TABLE web_sessions (
  id_hash           TEXT PRIMARY KEY,
  user_id           INTEGER NOT NULL,
  partner_id        INTEGER NOT NULL,
  user_level        INTEGER NOT NULL,
  username          TEXT NOT NULL,
  security_version  INTEGER NOT NULL,
  created_at        INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX ix_web_sessions_user ON web_sessions (user_id);
CREATE INDEX ix_web_sessions_expires ON web_sessions (expires_at);

-- ASP.NET Core data-protection keys (antiforgery tokens), shared by every node so each accepts the others' forms.
CREATE TABLE data_protection_keys (
  name        TEXT PRIMARY KEY,
  xml         TEXT NOT NULL,
  created_at  INTEGER NOT NULL
) WITHOUT ROWID;
