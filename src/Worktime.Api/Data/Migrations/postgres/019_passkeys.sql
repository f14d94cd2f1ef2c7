-- Passkeys (docs/auth.md, "Passkeys"): WebAuthn credentials a person registered, each with the name they gave it.
-- credential_id is the authenticator's credential id (base64url), public_key its COSE public key (base64url), and
-- sign_count the newest signature counter seen (a counter that goes backwards means a cloned authenticator).
CREATE TABLE passkeys (
  credential_id  TEXT COLLATE "C" PRIMARY KEY,
  user_id        BIGINT NOT NULL,
  partner_id     BIGINT NOT NULL,
  name           TEXT NOT NULL,
  public_key     TEXT NOT NULL,
  sign_count     BIGINT NOT NULL,
  created_at     BIGINT NOT NULL,
  last_used_at   BIGINT
);
CREATE INDEX ix_passkeys_user ON passkeys (user_id);

-- A WebAuthn ceremony in progress: the options (with their challenge) sent to the browser, until the answer comes back
-- to any node. Each is taken once (DELETE ... RETURNING): a replayed answer finds nothing.
CREATE TABLE passkey_ceremonies (
  id          TEXT COLLATE "C" PRIMARY KEY,
  kind        TEXT NOT NULL,
  user_id     BIGINT,
  options     TEXT NOT NULL,
  expires_at  BIGINT NOT NULL
);

-- Whether the partner lets people sign in with a passkey alone, instead of the password and a code.
ALTER TABLE partner_security ADD COLUMN passkey_sign_in INTEGER NOT NULL DEFAULT 0;
