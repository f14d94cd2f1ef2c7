-- Period locks (docs/forms.md, "Period locks"; the form is defined in src/Worktime.Api/Forms/Definitions/BuiltInForms.cs):
-- worktimes and absences dated on or before a live lock's enddate, of its user or (user_id NULL) of the whole
-- partner, cannot be written. While a lock covers a row, the row's status reads 'locked' and the status it had waits
-- in status_before_lock (NULL exactly when no lock covers the row), to come back when the last covering lock goes.
CREATE TABLE periodlocks (
  id             BIGINT PRIMARY KEY DEFAULT nextval('row_ids'),
  partner_id     BIGINT NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     BIGINT NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  enddate        TEXT COLLATE "C" NULL,
  user_id        BIGINT NULL,
  description    TEXT NULL
);
CREATE INDEX ix_periodlocks_partner ON periodlocks (partner_id, row_status, id);
-- Every write of a worktime or absence reads its partner's locks: the last date per user, from the index alone.
CREATE INDEX ix_periodlocks_partner_user ON periodlocks (partner_id, row_status, user_id, enddate);

-- Nullable without a default: a catalogue change only, however many rows the tables hold.
ALTER TABLE worktimes ADD COLUMN status_before_lock TEXT NULL;
ALTER TABLE abcenses ADD COLUMN status_before_lock TEXT NULL;
