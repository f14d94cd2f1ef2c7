-- Passkeys (docs/auth.md, "Passkeys"): WebAuthn credentials a person registered, each with the name they gave it.
-- credential_id is the authenticator's credential id (base64url), public_key its COSE public key (base64url), and
-- sign_count the newest signature counter seen (a counter that goes backwards means a cloned authenticator).
CREATE TABLE passkeys (
  credential_id  TEXT PRIMARY KEY,
  user_id        INTEGER NOT NULL,
  partner_id     INTEGER NOT NULL,
  name           TEXT NOT NULL,
  public_key     TEXT NOT NULL,
  sign_count     INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  last_used_at   INTEGER
);
CREATE INDEX ix_passkeys_user ON passkeys (user_id);

-- A WebAuthn ceremony in progress: the options (with their challenge) sent to the browser, until the answer comes back
-- to any node. Each is taken once (DELETE ... RETURNING): a replayed answer finds nothing.
CREATE TABLE passkey_ceremonies (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  user_id     INTEGER,
  options     TEXT NOT NULL,
  expires_at  INTEGER NOT NULL
);

-- Whether the partner lets people sign in with a passkey alone, instead of the password and a code.
ALTER TABLE partner_security ADD COLUMN passkey_sign_in INTEGER NOT NULL DEFAULT 0;
