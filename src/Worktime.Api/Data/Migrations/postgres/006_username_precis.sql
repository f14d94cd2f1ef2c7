-- Login names follow RFC 8265 (PRECIS UsernameCaseMapped) from here on: NFKC and full Unicode case folding
-- (docs/auth.md, "Usernames"). SQL cannot fold Unicode case, so this migration only marks every existing key as
-- made by the old rules (trim, NFC, lower-case); the server's start-up step (and `worktime db migrate`) then
-- recomputes those keys in C# and reports names that now collide or are refused.
ALTER TABLE users ADD COLUMN username_rules INTEGER NOT NULL DEFAULT 0;
