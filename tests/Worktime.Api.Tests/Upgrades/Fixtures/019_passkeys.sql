-- Data as the release with schema 019_passkeys stored it: Toni (user 200) has a passkey besides the authenticator app,
-- and partner 1 lets people sign in with a passkey alone.
INSERT INTO passkeys (credential_id, user_id, partner_id, name, public_key, sign_count, created_at, last_used_at)
VALUES ('AAECAwQFBgcICQoLDA0ODw', 200, 1, 'Laptop', 'pQECAyYgASFYIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8iWCABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f', 3, 1751357300, 1751360000);
UPDATE partner_security SET passkey_sign_in = 1 WHERE partner_id = 1;
