-- Data as the release with schema 008_worktime_month_counts stored it: a worktime written while the month counts
-- were kept by triggers (the fixture builder runs the triggers like that release's writer did).
INSERT INTO worktimes (id, partner_id, created, creator_id, date, status, user_id, project, starttime, endtime, pause, work_minutes, description)
VALUES (130, 1, '2025-07-01 16:00:00', 110, '2025-07-01', 'open', 110, 100, '08:00', '12:00', 0, 240, 'Half a day');
