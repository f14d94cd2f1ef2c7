-- Time accounting (docs/time-accounting.md): weekday schedules and country on worktime groups, paid absence
-- types, the balance's start and carried-over minutes on users, and three forms (definitions in
-- src/Worktime.Api/Forms/Definitions/BuiltInForms.cs): workday days (a group's calendar exceptions), employments
-- (which group and percentage apply from which date) and saldo corrections (manual bookings).

-- Existing groups keep their daily minutes Monday to Friday (450 when unset) and get the partner's country.
ALTER TABLE worktimegroups ADD COLUMN country TEXT NULL;
ALTER TABLE worktimegroups ADD COLUMN minutes_mon INTEGER NULL;
ALTER TABLE worktimegroups ADD COLUMN minutes_tue INTEGER NULL;
ALTER TABLE worktimegroups ADD COLUMN minutes_wed INTEGER NULL;
ALTER TABLE worktimegroups ADD COLUMN minutes_thu INTEGER NULL;
ALTER TABLE worktimegroups ADD COLUMN minutes_fri INTEGER NULL;
ALTER TABLE worktimegroups ADD COLUMN minutes_sat INTEGER NULL;
ALTER TABLE worktimegroups ADD COLUMN minutes_sun INTEGER NULL;
UPDATE worktimegroups SET
  country = (SELECT p.country FROM partners p WHERE p.id = worktimegroups.partner_id),
  minutes_mon = COALESCE(daily_minutes, 450), minutes_tue = COALESCE(daily_minutes, 450),
  minutes_wed = COALESCE(daily_minutes, 450), minutes_thu = COALESCE(daily_minutes, 450),
  minutes_fri = COALESCE(daily_minutes, 450), minutes_sat = 0, minutes_sun = 0;

-- A checkbox: 1 = the absence counts as time worked for the balance (the default, also for existing types).
ALTER TABLE abcensetypes ADD COLUMN paid INTEGER NULL DEFAULT 1;

-- NULL saldo_start: the balance is counted from the user's creation date.
ALTER TABLE users ADD COLUMN saldo_start TEXT NULL;
ALTER TABLE users ADD COLUMN saldo_initial INTEGER NULL;

CREATE TABLE workdaydays (
  id             INTEGER PRIMARY KEY,
  partner_id     INTEGER NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     INTEGER NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  worktimegroup  INTEGER NULL,
  date           TEXT NULL,
  name           TEXT NULL,
  minutes        INTEGER NULL
);
CREATE INDEX ix_workdaydays_partner ON workdaydays (partner_id, row_status, id);
-- One live workday day per group and date (a removed one may be re-created).
CREATE UNIQUE INDEX ux_workdaydays_group_date ON workdaydays (partner_id, worktimegroup, date) WHERE row_status = 'normal';

CREATE TABLE employments (
  id             INTEGER PRIMARY KEY,
  partner_id     INTEGER NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     INTEGER NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  user_id        INTEGER NULL,
  worktimegroup  INTEGER NULL,
  valid_from     TEXT NULL,
  percent        REAL NULL
);
CREATE INDEX ix_employments_partner ON employments (partner_id, row_status, id);
CREATE INDEX ix_employments_partner_user ON employments (partner_id, user_id, valid_from);
CREATE INDEX ix_employments_partner_group ON employments (partner_id, worktimegroup);

CREATE TABLE saldocorrections (
  id             INTEGER PRIMARY KEY,
  partner_id     INTEGER NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     INTEGER NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  user_id        INTEGER NULL,
  date           TEXT NULL,
  minutes        INTEGER NULL,
  description    TEXT NULL
);
CREATE INDEX ix_saldocorrections_partner ON saldocorrections (partner_id, row_status, id);
CREATE INDEX ix_saldocorrections_partner_user_date ON saldocorrections (partner_id, user_id, date);
