-- Data as the release with schema 015_payroll_wagetypes stored it: a person's employee number, the default wage type
-- for hours worked, one for the vacation type of 012 and one for overtime.
UPDATE users SET employee_number = 'E-1002' WHERE id = 2;
INSERT INTO wagetypes (id, partner_id, created, creator_id, code, name, kind, worktype, abcensetype)
VALUES (160, 1, '2025-09-01 08:00:00', 1, '1001', 'Hourly wage', 'worked', NULL, NULL);
INSERT INTO wagetypes (id, partner_id, created, creator_id, code, name, kind, worktype, abcensetype)
VALUES (161, 1, '2025-09-01 08:01:00', 1, '2010', 'Annual leave', 'absence', NULL, 150);
INSERT INTO wagetypes (id, partner_id, created, creator_id, code, name, kind, worktype, abcensetype)
VALUES (162, 1, '2025-09-01 08:02:00', 1, '1200', 'Overtime 50 %', 'overtime', NULL, NULL);
