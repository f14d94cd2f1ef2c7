-- Data as the release with schema 001_core stored it (docs/deploy.md, "Upgrade fixtures"). Portable SQL: the same
-- file runs on SQLite and PostgreSQL. Partners take their ids from the database (1 and 2); users have explicit ids.
-- Login keys (username_norm) follow the old rules: trimmed, NFC, lower-case. Passwords (for UpgradeTests):
--   Fixture.Admin  pw-fixture-admin-1   (Argon2id, made by worktime itself with the default cost)
--   Straße         pw-fixture-legacy-1  (PBKDF2-SHA256 imported from an older system; its new RFC 8265 key is 'strasse')
--   other.user     pw-fixture-other-1   (another partner)
INSERT INTO partners (name, country, created) VALUES ('Fixture Oy', 'fi', '2025-01-02 08:00:00');
INSERT INTO partners (name, country, created) VALUES ('Other Ab', 'se', '2025-01-03 09:30:00');

INSERT INTO users (id, partner_id, created, modified, creator_id, row_status, firstname, lastname, username, username_norm,
                   email, phone, userlevel, worktimegroup, status, password_hash, security_stamp)
VALUES
  (1, 1, '2025-01-02 08:00:00', NULL, NULL, 'normal', 'Aino', 'Ylläpitäjä', 'Fixture.Admin', 'fixture.admin',
   'aino@fixture.example', '+358 40 100 0001', 5, NULL, 'active',
   '$argon2id$v=19$m=19456,t=2,p=1$9eWbbFOm2yPSdulvP7InQw$hVtK7iya++dtKlR/dPDFbPWvHvP6J8lQiQ3AZJ54fjI', '0a1b2c3d4e5f60718293a4b5c6d7e8f9'),
  (2, 1, '2025-01-02 08:05:00', '2025-01-04 10:00:00', 1, 'normal', 'Jürgen', 'Straße', 'Straße', 'straße',
   NULL, NULL, 1, NULL, 'active',
   '$pbkdf2-sha256$29000$obLD1OX2BxgpOktcbX6PkA$uXnDDZ0/NZTzXEnIW8fIUG8ZqOSmtCcaJ1LFl6TpNtw', '1b2c3d4e5f60718293a4b5c6d7e8f90a'),
  (3, 2, '2025-01-03 09:30:00', NULL, NULL, 'normal', 'Olle', 'Other', 'other.user', 'other.user',
   'olle@other.example', NULL, 3, NULL, 'active',
   '$argon2id$v=19$m=19456,t=2,p=1$rZLYLKVJEuL7nro4UCyrvw$e2W92Pu8wTZlvA2s/Ta+sIaYbV7Znj3qTDY4rEzgHvg', '2c3d4e5f60718293a4b5c6d7e8f90a1b'),
  (4, 1, '2025-01-05 12:00:00', '2025-02-01 12:00:00', 1, 'removed', 'Poistettu', 'Käyttäjä', 'gone.user', 'gone.user',
   NULL, NULL, 1, NULL, 'inactive', NULL, '3d4e5f60718293a4b5c6d7e8f90a1b2c');
