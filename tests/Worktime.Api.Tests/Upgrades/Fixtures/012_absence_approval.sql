-- Data as the release with schema 012_absence_approval stored it: a type that needs a supervisor's approval, an
-- absence of it still pending and one rejected with its reason.
INSERT INTO abcensetypes (id, partner_id, created, creator_id, name, type, paid, requires_approval)
VALUES (150, 1, '2025-08-01 08:00:00', 1, 'Vacation', 'days', 1, 1);
INSERT INTO abcenses (id, partner_id, created, creator_id, user_id, abcensetype, startdate, enddate, status, requires_approval, rejection_reason)
VALUES (151, 1, '2025-08-04 08:00:00', 2, 2, 150, '2025-09-01', '2025-09-05', 'open', 1, NULL);
INSERT INTO abcenses (id, partner_id, created, creator_id, user_id, abcensetype, startdate, enddate, status, requires_approval, rejection_reason)
VALUES (152, 1, '2025-08-04 08:05:00', 2, 2, 150, '2025-08-11', '2025-08-15', 'rejected', 1, 'Too many away that week');
INSERT INTO audit_records (at, event, partner_id, user_id, username, ip, detail)
VALUES (1754467200, 'absence_approval', 1, 1, 'fixture.admin', NULL, 'abcense 152 rejected: user 2, startdate 2025-08-11');
