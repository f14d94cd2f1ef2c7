-- Tenants and the people who log in. Every form table shares the row_info columns:
-- id, partner_id, created, modified, creator_id, row_status ('normal' | 'removed').
-- Timestamps of form rows are UTC text 'YYYY-MM-DD HH:MM:SS' (sortable, the wire format).
CREATE TABLE partners (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  country    TEXT NOT NULL DEFAULT 'fi',
  created    TEXT NOT NULL
);

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  partner_id     INTEGER NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     INTEGER NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  firstname      TEXT NULL,
  lastname       TEXT NULL,
  username       TEXT NOT NULL,
  -- trimmed, NFC, lower-case: the login key; unique across all partners because /login has no partner field
  username_norm  TEXT NOT NULL UNIQUE,
  email          TEXT NULL,
  phone          TEXT NULL,
  userlevel      INTEGER NOT NULL DEFAULT 1,
  worktimegroup  INTEGER NULL,
  status         TEXT NOT NULL DEFAULT 'active',
  password_hash  TEXT NULL,
  -- changes whenever credentials or access change; bearer tokens are checked against it
  security_stamp TEXT NOT NULL
);
CREATE INDEX ix_users_partner ON users (partner_id, row_status, id);
