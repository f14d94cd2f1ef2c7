-- Worktimes per partner, row status and month ('YYYY-MM'), kept by triggers in the same transaction as the row
-- change. The month listing's exact count (GET /worktimes?date=<whole months>) then reads a few rows here instead
-- of counting the month's index entries, so its cost does not grow with the data (docs/forms.md, "Counting").
CREATE TABLE worktime_month_counts (
  partner_id  INTEGER NOT NULL,
  row_status  TEXT NOT NULL,
  month       TEXT NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (partner_id, row_status, month)
) WITHOUT ROWID;

INSERT INTO worktime_month_counts (partner_id, row_status, month, n)
SELECT partner_id, row_status, substr(date, 1, 7), COUNT(*) FROM worktimes WHERE date IS NOT NULL
GROUP BY partner_id, row_status, substr(date, 1, 7);

CREATE TRIGGER worktime_month_counts_insert AFTER INSERT ON worktimes WHEN NEW.date IS NOT NULL
BEGIN
  INSERT INTO worktime_month_counts (partner_id, row_status, month, n) VALUES (NEW.partner_id, NEW.row_status, substr(NEW.date, 1, 7), 1)
  ON CONFLICT (partner_id, row_status, month) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER worktime_month_counts_delete AFTER DELETE ON worktimes WHEN OLD.date IS NOT NULL
BEGIN
  UPDATE worktime_month_counts SET n = n - 1
  WHERE partner_id = OLD.partner_id AND row_status = OLD.row_status AND month = substr(OLD.date, 1, 7);
END;

CREATE TRIGGER worktime_month_counts_update AFTER UPDATE OF partner_id, row_status, date ON worktimes
WHEN OLD.partner_id IS NOT NEW.partner_id OR OLD.row_status IS NOT NEW.row_status OR substr(OLD.date, 1, 7) IS NOT substr(NEW.date, 1, 7)
BEGIN
  UPDATE worktime_month_counts SET n = n - 1
  WHERE OLD.date IS NOT NULL AND partner_id = OLD.partner_id AND row_status = OLD.row_status AND month = substr(OLD.date, 1, 7);
  INSERT INTO worktime_month_counts (partner_id, row_status, month, n)
  SELECT NEW.partner_id, NEW.row_status, substr(NEW.date, 1, 7), 1 WHERE NEW.date IS NOT NULL
  ON CONFLICT (partner_id, row_status, month) DO UPDATE SET n = n + 1;
END;
