-- Data as the release with schema 005_security_version stored it: Fixture.Admin's access changed twice since the
-- column came, so its tokens carry security_version 2 (UpgradeTests mints them so).
UPDATE users SET security_version = 2, modified = '2025-04-01 08:00:00' WHERE id = 1;
INSERT INTO audit_records (at, event, partner_id, user_id, username, ip, detail)
VALUES (1743494400, 'password_changed', 1, 1, 'fixture.admin', '192.0.2.10', 'by=1');
