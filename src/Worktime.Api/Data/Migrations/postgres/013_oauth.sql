-- Sign-in for other apps (docs/auth.md, "Registered clients", "Authorization code with PKCE", "Device authorization").
-- Secrets the server hands out (authorization codes, device codes) are kept only as their SHA-256, like refresh tokens
-- and sessions: a copy of the database redeems nothing.

-- The registered public clients, managed by `worktime client add|list|remove`.
CREATE TABLE oauth_clients (
  id             TEXT COLLATE "C" PRIMARY KEY,
  name           TEXT NOT NULL,
  -- a JSON array of the exact redirect URIs (compared as strings); empty for a device-only client
  redirect_uris  TEXT NOT NULL,
  first_party    BIGINT NOT NULL,
  device         BIGINT NOT NULL,
  created_at     BIGINT NOT NULL
);

-- A person's remembered "allow" for a client that is not first-party; withdrawing it deletes the row.
CREATE TABLE oauth_consents (
  user_id     BIGINT NOT NULL REFERENCES users(id),
  client_id   TEXT COLLATE "C" NOT NULL,
  granted_at  BIGINT NOT NULL,
  PRIMARY KEY (user_id, client_id)
);
CREATE INDEX ix_oauth_consents_client ON oauth_consents (client_id);

-- Authorization codes (RFC 6749 section 4.1): single use, 60 seconds, bound to client, redirect URI and PKCE challenge.
-- used_at is set by the first redemption; family_id is the refresh-token family it started, revoked by a second one.
CREATE TABLE authorization_codes (
  id_hash           TEXT COLLATE "C" PRIMARY KEY,
  client_id         TEXT NOT NULL,
  redirect_uri      TEXT NOT NULL,
  code_challenge    TEXT NOT NULL,
  user_id           BIGINT NOT NULL REFERENCES users(id),
  security_version  BIGINT NOT NULL,
  created_at        BIGINT NOT NULL,
  expires_at        BIGINT NOT NULL,
  used_at           BIGINT NULL,
  reused_at         BIGINT NULL,
  family_id         TEXT NULL
);
CREATE INDEX ix_authorization_codes_expires ON authorization_codes (expires_at);
CREATE INDEX ix_authorization_codes_user ON authorization_codes (user_id);

-- Device authorization (RFC 8628): the device polls with device_code (kept as its hash), the person confirms
-- user_code (8 characters without 0/O/1/I, stored without the dash) on /app/device.
CREATE TABLE device_codes (
  id_hash           TEXT COLLATE "C" PRIMARY KEY,
  user_code         TEXT COLLATE "C" NOT NULL UNIQUE,
  client_id         TEXT NOT NULL,
  created_at        BIGINT NOT NULL,
  expires_at        BIGINT NOT NULL,
  interval_seconds  BIGINT NOT NULL,
  last_polled_ms    BIGINT NOT NULL,
  -- 'pending', 'approved' or 'denied'
  status            TEXT NOT NULL,
  user_id           BIGINT NULL REFERENCES users(id),
  security_version  BIGINT NULL,
  decided_at        BIGINT NULL,
  used_at           BIGINT NULL,
  reused_at         BIGINT NULL,
  family_id         TEXT NULL
);
CREATE INDEX ix_device_codes_expires ON device_codes (expires_at);
CREATE INDEX ix_device_codes_user ON device_codes (user_id);
