-- Passkey ceremonies by their expiry (docs/forms.md, "Query plans"): every new ceremony first deletes the expired
-- ones, and anyone may start a sign-in ceremony, so without this index that delete read the whole table.
CREATE INDEX ix_passkey_ceremonies_expires ON passkey_ceremonies (expires_at);
