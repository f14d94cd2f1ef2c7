-- Data as the release with schema 011_period_locks stored it: January 2025 closed for the whole partner. Its two
-- worktimes were stamped in the lock's own transaction: status 'locked', the status they had kept beside it.
INSERT INTO periodlocks (id, partner_id, created, creator_id, enddate, user_id, description)
VALUES (140, 1, '2025-07-02 08:00:00', 1, '2025-01-31', NULL, 'Payroll January');
UPDATE worktimes SET status_before_lock = status, status = 'locked', modified = '2025-07-02 08:00:00' WHERE id IN (1, 2);
INSERT INTO audit_records (at, event, partner_id, user_id, username, ip, detail)
VALUES (1751443200, 'period_lock', 1, 1, 'fixture.admin', NULL, 'periodlock 140 created: enddate 2025-01-31, user everyone');
