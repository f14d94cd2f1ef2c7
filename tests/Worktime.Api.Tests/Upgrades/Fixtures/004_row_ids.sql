-- Data as the release with schema 004_row_ids stored it: rows created after the shared id space began take their ids
-- from the allocator, above every older id (the fixture builder then sets the allocator to the highest id, as that
-- release's writer left it).
INSERT INTO projects (id, partner_id, created, creator_id, number, name, contact_user, customer)
VALUES (100, 1, '2025-03-03 08:00:00', 1, 'P-100', 'Koulu', 2, 1);
INSERT INTO worktimes (id, partner_id, created, creator_id, date, status, user_id, project, task, worktype, starttime, endtime, pause, work_minutes, description)
VALUES (101, 1, '2025-03-03 16:00:00', 2, '2025-03-03', 'locked', 2, 100, 1, 1, '06:00', '14:00', 0, 480, 'First day at the school');
INSERT INTO form_links (partner_id, a_form, a_id, b_form, b_id) VALUES (1, 'project', 100, 'task', 2), (1, 'task', 2, 'project', 100);
