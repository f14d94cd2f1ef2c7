-- Data as the release with schema 018_partner_security stored it: partner 1 asks its level-4 people for a second
-- factor (none of the fixture's people who log in is at level 4).
INSERT INTO partner_security (partner_id, second_factor_levels, modified_at)
VALUES (1, '4', 1751360000);
