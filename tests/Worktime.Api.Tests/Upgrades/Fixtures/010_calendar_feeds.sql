-- Data as the release with schema 010_calendar_feeds stored it: a team calendar feed of Fixture.Admin (user 1).
-- Its URL's token was fixtureFeedToken1AAAAAAAAAAAAAAAAAAAAAAAAAA; the row keeps only the token's SHA-256 (hex).
INSERT INTO calendar_feeds (partner_id, user_id, kind, token_hash, created_at)
VALUES (1, 1, 'team', '5aa0f28344c73f55cd536f7220a96d04c7c7d13ba0588790165729daaa8e1616', 1748853600);
