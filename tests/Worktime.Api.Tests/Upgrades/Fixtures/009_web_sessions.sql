-- Data as the release with schema 009_web_sessions stored it: a browser session of the admin (the hash of a cookie
-- value; expired long ago, as a session would be by the time of an upgrade). The data-protection key table is left
-- empty: the framework writes its own keys at the first start.
INSERT INTO web_sessions (id_hash, user_id, partner_id, user_level, username, security_version, created_at, expires_at)
VALUES ('5f2b8c2a0e8d4c3b9a7f6e5d4c3b2a19f8e7d6c5b4a392817f6e5d4c3b2a1908', 1, 1, 5, 'Fixture.Admin', 0, 1751356800, 1751961600);
