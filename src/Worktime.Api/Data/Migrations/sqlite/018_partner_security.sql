-- A partner's sign-in policy (docs/auth.md, "A policy per company"), written by its admins (level 5) through
-- PUT /partner/security. second_factor_levels lists the user levels that must have a second factor, as ascending
-- comma-separated numbers ('4,5'; '' for none). No row: no policy.
CREATE TABLE partner_security (
  partner_id            INTEGER PRIMARY KEY,
  second_factor_levels  TEXT NOT NULL DEFAULT '',
  modified_at           INTEGER NOT NULL
);
