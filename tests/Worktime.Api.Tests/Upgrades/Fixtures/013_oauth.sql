-- Data as the release with schema 013_oauth stored it: a registered app with two redirect URIs, the admin's remembered
-- "allow" for it, a spent authorization code that started a (since expired) token family, and a device authorization
-- the admin approved and the device redeemed. Codes are hashes of values nobody holds; all of them expired long ago.
INSERT INTO oauth_clients (id, name, redirect_uris, first_party, device, created_at)
VALUES ('fixture-app', 'Fixture App', '["https://app.example/callback","http://127.0.0.1/cb"]', 0, 1, 1751356800);
INSERT INTO oauth_consents (user_id, client_id, granted_at) VALUES (1, 'fixture-app', 1751356900);
INSERT INTO authorization_codes (id_hash, client_id, redirect_uri, code_challenge, user_id, security_version, created_at, expires_at,
                                 used_at, reused_at, family_id)
VALUES ('0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9', 'fixture-app', 'https://app.example/callback',
        'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 1, 0, 1751356900, 1751356960, 1751356910, NULL, 'fixture-family-oauth');
INSERT INTO device_codes (id_hash, user_code, client_id, created_at, expires_at, interval_seconds, last_polled_ms, status, user_id,
                          security_version, decided_at, used_at, reused_at, family_id)
VALUES ('1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a', 'BCDFGHJK', 'fixture-app', 1751357000, 1751357600, 5,
        1751357100000, 'approved', 1, 0, 1751357050, 1751357100, NULL, NULL);
