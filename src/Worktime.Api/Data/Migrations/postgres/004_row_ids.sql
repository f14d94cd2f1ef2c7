-- One id space for every form's rows, users included (docs/forms.md "Row ids"): clients such as the official PHP
-- client match sideloaded rows to references by id alone, across forms, so two rows of different forms must never
-- share an id. One shared sequence replaces each table's own identity as the id default, started above the highest
-- id any form table already holds. The writer also takes ids from it explicitly, so a form table added later shares
-- the space whatever its own default.
CREATE SEQUENCE row_ids AS BIGINT;
SELECT setval('row_ids', COALESCE(MAX(id), 0) + 1, false) FROM (
            SELECT MAX(id) AS id FROM users
  UNION ALL SELECT MAX(id) FROM worktimes
  UNION ALL SELECT MAX(id) FROM projects
  UNION ALL SELECT MAX(id) FROM tasks
  UNION ALL SELECT MAX(id) FROM subtasks
  UNION ALL SELECT MAX(id) FROM customers
  UNION ALL SELECT MAX(id) FROM worktypes
  UNION ALL SELECT MAX(id) FROM worktimegroups
  UNION ALL SELECT MAX(id) FROM abcenses
  UNION ALL SELECT MAX(id) FROM abcensetypes
) highest;
ALTER TABLE users ALTER COLUMN id DROP IDENTITY;
ALTER TABLE users ALTER COLUMN id SET DEFAULT nextval('row_ids');
ALTER TABLE worktimes ALTER COLUMN id DROP IDENTITY;
ALTER TABLE worktimes ALTER COLUMN id SET DEFAULT nextval('row_ids');
ALTER TABLE projects ALTER COLUMN id DROP IDENTITY;
ALTER TABLE projects ALTER COLUMN id SET DEFAULT nextval('row_ids');
ALTER TABLE tasks ALTER COLUMN id DROP IDENTITY;
ALTER TABLE tasks ALTER COLUMN id SET DEFAULT nextval('row_ids');
ALTER TABLE subtasks ALTER COLUMN id DROP IDENTITY;
ALTER TABLE subtasks ALTER COLUMN id SET DEFAULT nextval('row_ids');
ALTER TABLE customers ALTER COLUMN id DROP IDENTITY;
ALTER TABLE customers ALTER COLUMN id SET DEFAULT nextval('row_ids');
ALTER TABLE worktypes ALTER COLUMN id DROP IDENTITY;
ALTER TABLE worktypes ALTER COLUMN id SET DEFAULT nextval('row_ids');
ALTER TABLE worktimegroups ALTER COLUMN id DROP IDENTITY;
ALTER TABLE worktimegroups ALTER COLUMN id SET DEFAULT nextval('row_ids');
ALTER TABLE abcenses ALTER COLUMN id DROP IDENTITY;
ALTER TABLE abcenses ALTER COLUMN id SET DEFAULT nextval('row_ids');
ALTER TABLE abcensetypes ALTER COLUMN id DROP IDENTITY;
ALTER TABLE abcensetypes ALTER COLUMN id SET DEFAULT nextval('row_ids');
