-- Credentials, tokens, brute-force counters and the audit trail (docs/security.md, requirements 1-4, 9).
-- Instants compared by code are BIGINT unix seconds.

-- Bearer tokens issued before this instant are refused (password change, access revoked).
ALTER TABLE users ADD COLUMN tokens_valid_after INTEGER NOT NULL DEFAULT 0;

CREATE TABLE signing_keys (
  kid          TEXT PRIMARY KEY,
  created_at   INTEGER NOT NULL,
  retired_at   INTEGER NULL,
  -- SubjectPublicKeyInfo DER, base64
  public_key   TEXT NOT NULL,
  -- PKCS#8 DER base64, or 'aesgcm:' + base64(nonce|tag|ciphertext) when Auth:KeyEncryptionKey is set
  private_key  TEXT NOT NULL
);

-- One row per login; every refresh token descends from it. Revoking the family kills every member.
CREATE TABLE refresh_families (
  id             TEXT PRIMARY KEY,
  user_id        INTEGER NOT NULL REFERENCES users(id),
  client_id      TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  revoked_at     INTEGER NULL,
  revoked_reason TEXT NULL
);
CREATE INDEX ix_refresh_families_user ON refresh_families (user_id);

CREATE TABLE refresh_tokens (
  id_hash           TEXT PRIMARY KEY,   -- SHA-256 of the token's jti, hex
  family_id         TEXT NOT NULL REFERENCES refresh_families(id),
  generation        INTEGER NOT NULL,
  issued_at         INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL,
  used_at           INTEGER NULL,
  -- what rotation produced, so a retry inside the grace window re-signs the very same successor
  successor_hash    TEXT NULL,
  successor_kid     TEXT NULL,
  successor_payload TEXT NULL
);
CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id, generation);

CREATE TABLE login_throttle (
  throttle_key  TEXT PRIMARY KEY,   -- 'u:<username>', 'ui:<username>|<ip>', 'i:<ip>'
  failures      INTEGER NOT NULL,
  last_failure  INTEGER NOT NULL,
  blocked_until INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE audit_records (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  event       TEXT NOT NULL,
  partner_id  INTEGER NULL,
  user_id     INTEGER NULL,
  username    TEXT NULL,
  ip          TEXT NULL,
  detail      TEXT NULL
);
CREATE INDEX ix_audit_records_at ON audit_records (at);
