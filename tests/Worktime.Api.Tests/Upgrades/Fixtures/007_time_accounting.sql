-- Data as the release with schema 007_time_accounting stored it: a schedule with weekday minutes, a paid and an
-- unpaid absence type, a balance start, and a row of each of the three new forms. Password of New.Rules (made in
-- 006): pw-fixture-new-rules-1.
UPDATE worktimegroups SET minutes_fri = 360, country = 'fi' WHERE id = 1;
UPDATE users SET saldo_start = '2025-01-01', saldo_initial = -120 WHERE id = 2;
INSERT INTO abcensetypes (id, partner_id, created, creator_id, name, type, paid) VALUES (120, 1, '2025-06-02 08:00:00', 1, 'Unpaid leave', 'both', 0);
INSERT INTO workdaydays (id, partner_id, created, creator_id, worktimegroup, date, name, minutes)
VALUES (121, 1, '2025-06-02 08:10:00', 1, 1, '2025-06-20', 'Juhannusaatto', 0);
INSERT INTO employments (id, partner_id, created, creator_id, user_id, worktimegroup, valid_from, percent)
VALUES (122, 1, '2025-06-02 08:20:00', 1, 2, 1, '2025-01-01', 80);
INSERT INTO saldocorrections (id, partner_id, created, creator_id, user_id, date, minutes, description)
VALUES (123, 1, '2025-06-02 08:30:00', 1, 2, '2025-05-31', 90, 'Overtime from the spring');
INSERT INTO abcenses (id, partner_id, created, creator_id, user_id, abcensetype, startdate, enddate, starttime, endtime, dayamount, absence_hours, description, status)
VALUES (124, 1, '2025-06-03 08:00:00', 2, 2, 120, '2025-06-04', '2025-06-04', '12:00', '16:00', 0.5, 4, NULL, 'open');
INSERT INTO audit_records (at, event, partner_id, user_id, username, ip, detail)
VALUES (1748853000, 'saldo_correction', 1, 1, 'fixture.admin', NULL, 'saldocorrection 123 created: user 2, date 2025-05-31, minutes 90');
