-- Data as the release with schema 002_auth stored it: a signing key (unencrypted: that release had no key-encryption
-- key configured), a login session of Fixture.Admin whose refresh token UpgradeTests mints with that key (jti
-- 'fixture-refresh-jti-1', stored as its SHA-256), a throttle counter and audit records.
INSERT INTO signing_keys (kid, created_at, retired_at, public_key, private_key)
VALUES ('fixture-key-2025', 1735804800, NULL,
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuHi2NUi3OOpyQWqgNAHGIqt6ptgfBAeN2lS2ml4ULT2f4D9/afZF9jB9ZItO4hDwxADt48cf5/plAKahXKkUXNwcmMYMZGisYk3JJwV39/3JqOeHHgI0irufaUhjtphmqUJaL8an0HhUQzncrMztfsT2VMXktZEYFoj4C4We5wEoy/l9wYYDAc5kWjNw/h4gSvHH5i28XgFUVr8TplzgY7DE1M6/+eyDweo2f6u1we2t4FV7+1vrHHNnKhXRrHTJEcdxUZ6GP7PejUnjWI4u/W1zUVEpardNvVJLaUUfLE2nYAZ4YrYwqFP2gn9YJcHP2t3Gz/875dCb1d2Bzg6tTQIDAQAB',
  'MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC4eLY1SLc46nJBaqA0AcYiq3qm2B8EB43aVLaaXhQtPZ/gP39p9kX2MH1ki07iEPDEAO3jxx/n+mUApqFcqRRc3ByYxgxkaKxiTcknBXf3/cmo54ceAjSKu59pSGO2mGapQlovxqfQeFRDOdyszO1+xPZUxeS1kRgWiPgLhZ7nASjL+X3BhgMBzmRaM3D+HiBK8cfmLbxeAVRWvxOmXOBjsMTUzr/57IPB6jZ/q7XB7a3gVXv7W+scc2cqFdGsdMkRx3FRnoY/s96NSeNYji79bXNRUSlqt029UktpRR8sTadgBnhitjCoU/aCf1glwc/a3cbP/zvl0JvV3YHODq1NAgMBAAECggEABiWg7gydbQxEQLwfWNb4SxPLaKo0pQs6uwbt9h3iw+Z/oIGCgD2VyOWGatEeO00/i0smojDyoLseHilEoOmnb+K2dzwePJhPqjpCVNu19YcORGPBWQrPb7y0dqspW3PKSU3t4xVWZo15QquNGBr/Yk/eOiaaqkGKpnGWUQ1OUA88wkt/FFyoDzsmIgrpmyC+iUceeO9wDpvW36ZZlIqhaI0etGc4JgbUhu7K6m/+wGKwvUNv6HfWgYFgxCmbZShr7i3H4KyDS/67LaOuZAe7fBGm5xBj1n5GzpkhgLT/UXt3nQ26r82I3iSU/uEYMwP11V4tB5D9iZhufohtQV9c1wKBgQDyu8JxHPx14vGGw8ma67bgLBlzrQIIl8G9dPdOFQb/gHB8kgCHaXQcJmYr3N8M1T0/FOQrZER5qGMg6Ct6RvEWORfTF4zo9WKatIzzQEefFmyWvAz85cl5GKaCRAbc47aGo/40/GsSru4f8T/Stg2WfzjVB1dNfrWTGhyFHuQUBwKBgQDCjcWwHDJJUazHuN9MP+J5Td+HTrsqxZ2lIEYxCWhn6N/krPE04cm2qhylsp2hZacZSNBOPL2m3iV12JqBHf1ULOgxLHvI4KfBvfL0n03yEAQgtF/yvbENphrEOLPaK6kwV6+/7YuSJJnjrnw3DvmAkqQszDqgUiA9eCTPOXVnCwKBgGWsBd8RUCIk5BwZyElu8FPnxOVyE0b8Ife0lZ4MKrk82GElWrldj3f3EZbP1lHuw8+3dXdDcXcv9A2lkgiOzI8NbRBLbgdqOVopxFxjkVxurR9aN2p66bAihiRMUD+X1i2BZYpWLJdP1IhmqeAdx4VBVtHMWGIqb+3k4wtTjB9jAoGBALliPi1BsOkMWoc1MhGGDldoTMaxzsdC5qShzECNpl7dF/rekDjDrWHRVtrNCEbyhfch2tuyJUUMCMXyT8cYvHupDtdMe+c9qpyCUy+lXLB7cnN3bLXw6vUGghrXrQkG8YCPDXjk8UmgdsLtUI9mRXiuQqItOO/rUa1A/lI3fhdhAoGBALW7B5LVEtTa9VjC+PxctGWNzTWD+VsI5MNiBOOaVfVtgvPak7ivFgmF1vALzDnOsCY9P/dqxj3zpskcmklBIymsUGABMsJoyRqnYCoLoNsSLGHIsS1U807ZGmpZHqgz/kf6EBBfhJ+GSW7CVEeZRARLDxz4YZOVH1Nrx2cuPhZi');

INSERT INTO refresh_families (id, user_id, client_id, created_at, revoked_at, revoked_reason)
VALUES ('fixture-family-1', 1, 'openapi', 1735804800, NULL, NULL),
       ('fixture-family-revoked', 2, 'ember_app', 1735804800, 1735808400, 'password_changed');
INSERT INTO refresh_tokens (id_hash, family_id, generation, issued_at, expires_at, used_at)
VALUES ('ce8e8df56a2b74a250c84a0b56d8d7207c9e26ba68c58900a988e5e41c3b81c0', 'fixture-family-1', 1, 1735804800, 4102444800, NULL);

INSERT INTO login_throttle (throttle_key, failures, last_failure, blocked_until) VALUES ('u:straße', 2, 1735804800, 0);

INSERT INTO audit_records (at, event, partner_id, user_id, username, ip, detail)
VALUES (1735804700, 'key_created', NULL, NULL, NULL, NULL, 'kid=fixture-key-2025'),
       (1735804800, 'login_succeeded', 1, 1, 'fixture.admin', '192.0.2.10', 'client=openapi');
UPDATE users SET tokens_valid_after = 1735804000 WHERE id = 2;
