-- A per-user counter carried in every token as the claim security_version (docs/auth.md, "Security version").
-- Raised by every change of level, password, status or removal; a token whose counter is not the user's
-- current one is refused. Closes the window of tokens minted in the very second of a change, which the
-- iat >= tokens_valid_after comparison (whole seconds) left open. Tokens minted before this column existed
-- carry no claim and count as 0 until the user's first change.
ALTER TABLE users ADD COLUMN security_version INTEGER NOT NULL DEFAULT 0;
