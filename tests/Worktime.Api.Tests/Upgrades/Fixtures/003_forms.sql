-- Data as the release with schema 003_forms stored it: a row of every form with every kind of field (text, number,
-- date, time, minutes, checkbox, dropdown, references, a JSON array, the computed work minutes), a project-task link
-- in both directions, a removed row, and a row of the other partner. Each form table still had its own ids then
-- (migration 004 made one id space), so worktime 1 and project 1 are different rows.
INSERT INTO worktimegroups (id, partner_id, created, creator_id, name, daily_minutes) VALUES
  (1, 1, '2025-01-06 08:00:00', 1, 'Full time', 450),
  (2, 1, '2025-01-06 08:01:00', 1, 'Default hours', NULL);
UPDATE users SET worktimegroup = 1 WHERE id = 2;

INSERT INTO customers (id, partner_id, created, creator_id, number, name, business_id, address, zip, city, phone, email, contact_person)
VALUES (1, 1, '2025-01-06 09:00:00', 1, 'C-1', 'Rakennus Oy', '1234567-8', 'Katu 1', '00100', 'Helsinki', '+358 9 123', 'info@rakennus.example', 'Pekka');

INSERT INTO projects (id, partner_id, created, modified, creator_id, number, name, address, zip, city, location_map, image,
                      contact_person, phone, email, help, description, contact_user, customer)
VALUES (1, 1, '2025-01-06 09:10:00', '2025-01-07 09:10:00', 1, 'P-1', 'Kauppakeskus', 'Tie 2', '00200', 'Espoo', '60.17,24.94',
        '["site.jpg","plan.pdf"]', 'Pekka', '+358 40 2', 'site@rakennus.example', 'Gate code 1234', 'A shopping centre', 1, 1),
       (2, 1, '2025-01-06 09:20:00', NULL, 1, 'P-2', 'Removed project', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE projects SET row_status = 'removed' WHERE id = 2;

INSERT INTO tasks (id, partner_id, created, creator_id, number, name, description)
VALUES (1, 1, '2025-01-06 09:30:00', 1, 'T-1', 'Concrete', 'Pouring'), (2, 1, '2025-01-06 09:31:00', 1, 'T-2', 'Painting', NULL);
INSERT INTO subtasks (id, partner_id, created, creator_id, name, task) VALUES (1, 1, '2025-01-06 09:40:00', 1, 'Walls', 1);
INSERT INTO worktypes (id, partner_id, created, creator_id, number, name) VALUES (1, 1, '2025-01-06 09:50:00', 1, 'W-1', 'Normal');
INSERT INTO abcensetypes (id, partner_id, created, creator_id, name, type) VALUES (1, 1, '2025-01-06 10:00:00', 1, 'Sick leave', 'days');

INSERT INTO worktimes (id, partner_id, created, modified, creator_id, date, status, user_id, project, task, subtask, worktype,
                       superior, starttime, endtime, pause, work_minutes, description)
VALUES (1, 1, '2025-01-08 16:00:00', NULL, 2, '2025-01-08', 'open', 2, 1, 1, 1, 1, 1, '08:00', '16:30', 30, 480, 'Poured the slab'),
       (2, 1, '2025-01-09 16:00:00', '2025-01-10 08:00:00', 1, '2025-01-09', 'accepted', 2, 1, 2, NULL, 1, 1, '07:30', '15:00', 30, 420, NULL),
       (3, 2, '2025-01-09 17:00:00', NULL, 3, '2025-01-09', 'open', 3, NULL, NULL, NULL, NULL, NULL, '09:00', '17:00', 60, 420, 'Other partner');

INSERT INTO abcenses (id, partner_id, created, creator_id, user_id, abcensetype, startdate, enddate, starttime, endtime,
                      dayamount, absence_hours, description, status)
VALUES (1, 1, '2025-01-13 08:00:00', 2, 2, 1, '2025-01-13', '2025-01-14', NULL, NULL, 2, 15.5, 'Flu', 'accepted');

INSERT INTO form_links (partner_id, a_form, a_id, b_form, b_id) VALUES
  (1, 'project', 1, 'task', 1), (1, 'task', 1, 'project', 1),
  (1, 'project', 1, 'task', 2), (1, 'task', 2, 'project', 1);

INSERT INTO request_quota (user_id, window_start, used) VALUES (2, 1736323200, 17);

INSERT INTO audit_records (at, event, partner_id, user_id, username, ip, detail)
VALUES (1736323300, 'password_changed', 1, 2, 'straße', '192.0.2.11', 'by=1');
