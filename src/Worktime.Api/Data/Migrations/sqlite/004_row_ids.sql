-- One id space for every form's rows, users included (docs/forms.md "Row ids"): clients such as the official PHP
-- client match sideloaded rows to references by id alone, across forms, so two rows of different forms must never
-- share an id. SQLite has no sequences: this one-row table is the allocator. The writer bumps it with
-- UPDATE … RETURNING inside the same write transaction as the INSERT, so ids are never handed out twice.
-- It starts above the highest id any form table already holds.
CREATE TABLE row_ids (
  only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
  last_id  INTEGER NOT NULL
);
INSERT INTO row_ids (only_row, last_id)
SELECT 1, COALESCE(MAX(id), 0) FROM (
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
