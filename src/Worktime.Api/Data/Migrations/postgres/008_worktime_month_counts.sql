-- Worktimes per partner, row status and month ('YYYY-MM'), kept by a trigger in the same transaction as the row
-- change. The month listing's exact count (GET /worktimes?date=<whole months>) then reads a few rows here instead
-- of counting the month's index entries, so its cost does not grow with the data (docs/forms.md, "Counting").
CREATE TABLE worktime_month_counts (
  partner_id  BIGINT NOT NULL,
  row_status  TEXT NOT NULL,
  month       TEXT COLLATE "C" NOT NULL,
  n           BIGINT NOT NULL,
  PRIMARY KEY (partner_id, row_status, month)
);

INSERT INTO worktime_month_counts (partner_id, row_status, month, n)
SELECT partner_id, row_status, substr(date, 1, 7), COUNT(*) FROM worktimes WHERE date IS NOT NULL
GROUP BY partner_id, row_status, substr(date, 1, 7);

CREATE FUNCTION worktime_month_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.date IS NOT NULL THEN
    IF TG_OP = 'DELETE' OR OLD.partner_id IS DISTINCT FROM NEW.partner_id OR OLD.row_status IS DISTINCT FROM NEW.row_status
       OR substr(OLD.date, 1, 7) IS DISTINCT FROM substr(NEW.date, 1, 7) THEN
      UPDATE worktime_month_counts SET n = n - 1
      WHERE partner_id = OLD.partner_id AND row_status = OLD.row_status AND month = substr(OLD.date, 1, 7);
    ELSE
      RETURN NULL; -- the same partner, status and month: nothing to move
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.date IS NOT NULL THEN
    INSERT INTO worktime_month_counts (partner_id, row_status, month, n) VALUES (NEW.partner_id, NEW.row_status, substr(NEW.date, 1, 7), 1)
    ON CONFLICT (partner_id, row_status, month) DO UPDATE SET n = worktime_month_counts.n + 1;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER worktime_month_counts AFTER INSERT OR DELETE OR UPDATE OF partner_id, row_status, date ON worktimes
FOR EACH ROW EXECUTE FUNCTION worktime_month_counts_apply();
