-- Data as the release with schema 006_username_precis stored it: a user made under the RFC 8265 rules (key recorded
-- with username_rules 1) next to the older ones, which the start-up renormalises (Straße's key becomes 'strasse').
INSERT INTO users (id, partner_id, created, creator_id, row_status, firstname, lastname, username, username_norm, username_rules,
                   userlevel, status, password_hash, security_stamp, tokens_valid_after, security_version)
VALUES (110, 1, '2025-05-05 08:00:00', 1, 'normal', 'Noora', 'Uusi', 'New.Rules', 'new.rules', 1, 2, 'active',
        '$argon2id$v=19$m=19456,t=2,p=1$E+iZCYDHf7c5UbrBKcewPw$xH0O+7N5dHyuDHhcAngUkNMLdOCm5yBpYa4bxTcHNwc',
        '4e5f60718293a4b5c6d7e8f90a1b2c3d', 0, 0);
