-- Data as the release with schema 017_second_factors stored it: a person (Toni, password pw-fixture-admin-1, the same
-- hash as the admin's) with a confirmed authenticator app (a secret stored without a key-encryption key) that has
-- accepted a code, and two of their recovery codes, one of them used.
INSERT INTO users (id, partner_id, created, creator_id, row_status, firstname, lastname, username, username_norm, username_rules,
                   userlevel, status, password_hash, security_stamp, tokens_valid_after, security_version)
VALUES (200, 1, '2025-07-01 08:00:00', 1, 'normal', 'Toni', 'Tekijä', 'Two.Factor', 'two.factor', 1, 2, 'active',
        '$argon2id$v=19$m=19456,t=2,p=1$9eWbbFOm2yPSdulvP7InQw$hVtK7iya++dtKlR/dPDFbPWvHvP6J8lQiQ3AZJ54fjI',
        '5f60718293a4b5c6d7e8f90a1b2c3d4e', 0, 1);
INSERT INTO totp_factors (user_id, partner_id, secret, created_at, confirmed_at, last_step)
VALUES (200, 1, 'plain:JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 1751357200, 1751357230, 58378574);
INSERT INTO recovery_codes (user_id, code_hash, created_at, used_at)
VALUES (200, '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae', 1751357230, NULL);
INSERT INTO recovery_codes (user_id, code_hash, created_at, used_at)
VALUES (200, 'fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9', 1751357230, 1751360000);
