-- The web app's browser sessions (docs/webapp.md, "Sessions"): the cookie carries a random value, the row keeps only
-- its SHA-256, so a copy of the database logs nobody in. One PRIMARY KEY lookup per page.
CREATE TABLE web_sessions (
  id_hash           TEXT COLLATE "C" PRIMARY KEY,
  user_id           BIGINT NOT NULL,
  partner_id        BIGINT NOT NULL,
  user_level        BIGINT NOT NULL,
  username          TEXT NOT NULL,
  security_version  BIGINT NOT NULL,
  created_at        BIGINT NOT NULL,
  expires_at        BIGINT NOT NULL
);
CREATE INDEX ix_web_sessions_user ON web_sessions (user_id);
CREATE INDEX ix_web_sessions_expires ON web_sessions (expires_at);

-- ASP.NET Core data-protection keys (antiforgery tokens), shared by every node so each accepts the others' forms.
CREATE TABLE data_protection_keys (
  name        TEXT COLLATE "C" PRIMARY KEY,
  xml         TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
