-- Second factors (docs/auth.md, "Second factors"). One authenticator app (TOTP, RFC 6238) per person: its secret is
-- AES-GCM encrypted with Auth:KeyEncryptionKey when one is configured; a row without confirmed_at is a set-up not yet
-- proven with a code. last_step is the time step of the newest accepted code: a code of that step or an older one is
-- refused, so each code opens one door once (RFC 6238 section 5.2), on every node.
CREATE TABLE totp_factors (
  user_id       INTEGER PRIMARY KEY,
  partner_id    INTEGER NOT NULL,
  secret        TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  confirmed_at  INTEGER,
  last_step     INTEGER NOT NULL DEFAULT 0
);

-- Ten one-time recovery codes per person, kept only as SHA-256 of the code (about 59 random bits each).
CREATE TABLE recovery_codes (
  user_id    INTEGER NOT NULL,
  code_hash  TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  used_at    INTEGER,
  PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;
