-- The built-in forms of docs/forms.md (definitions are code: src/Worktime.Api/Forms/Definitions/BuiltInForms.cs).
-- One table per form with typed columns: dates TEXT 'YYYY-MM-DD', times TEXT 'HH:MM', minutes and references
-- integers, plus the row_info columns shared by every form table (see 001_core.sql). All partners share the tables;
-- every query carries partner_id, so every index starts with it.
-- References are checked by the engine (live row of the same partner) rather than by foreign keys, because a
-- reference may keep pointing at a row that was soft-deleted later.

CREATE TABLE worktimes (
  id             INTEGER PRIMARY KEY,
  partner_id     INTEGER NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     INTEGER NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  date           TEXT NULL,
  status         TEXT NULL,
  user_id        INTEGER NULL,
  project        INTEGER NULL,
  task           INTEGER NULL,
  subtask        INTEGER NULL,
  worktype       INTEGER NULL,
  superior       INTEGER NULL,
  starttime      TEXT NULL,
  endtime        TEXT NULL,
  pause          INTEGER NULL,
  work_minutes   INTEGER NULL,
  description    TEXT NULL
);
CREATE INDEX ix_worktimes_partner_date ON worktimes (partner_id, row_status, date, id);
CREATE INDEX ix_worktimes_partner_user_date ON worktimes (partner_id, user_id, date, id);
CREATE INDEX ix_worktimes_partner_project_date ON worktimes (partner_id, project, date);
CREATE INDEX ix_worktimes_partner_task ON worktimes (partner_id, task);
CREATE INDEX ix_worktimes_partner_worktype ON worktimes (partner_id, worktype);

CREATE TABLE projects (
  id             INTEGER PRIMARY KEY,
  partner_id     INTEGER NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     INTEGER NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  number         TEXT NULL,
  name           TEXT NULL,
  address        TEXT NULL,
  zip            TEXT NULL,
  city           TEXT NULL,
  location_map   TEXT NULL,
  image          TEXT NULL,
  contact_person TEXT NULL,
  phone          TEXT NULL,
  email          TEXT NULL,
  help           TEXT NULL,
  description    TEXT NULL,
  contact_user   INTEGER NULL,
  customer       INTEGER NULL
);
CREATE INDEX ix_projects_partner ON projects (partner_id, row_status, id);
CREATE INDEX ix_projects_partner_customer ON projects (partner_id, customer);

CREATE TABLE tasks (
  id             INTEGER PRIMARY KEY,
  partner_id     INTEGER NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     INTEGER NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  number         TEXT NULL,
  name           TEXT NULL,
  description    TEXT NULL
);
CREATE INDEX ix_tasks_partner ON tasks (partner_id, row_status, id);

CREATE TABLE subtasks (
  id             INTEGER PRIMARY KEY,
  partner_id     INTEGER NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     INTEGER NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  name           TEXT NULL,
  task           INTEGER NULL
);
CREATE INDEX ix_subtasks_partner ON subtasks (partner_id, row_status, id);
CREATE INDEX ix_subtasks_partner_task ON subtasks (partner_id, task);

CREATE TABLE customers (
  id             INTEGER PRIMARY KEY,
  partner_id     INTEGER NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     INTEGER NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  number         TEXT NULL,
  name           TEXT NULL,
  business_id    TEXT NULL,
  address        TEXT NULL,
  zip            TEXT NULL,
  city           TEXT NULL,
  phone          TEXT NULL,
  email          TEXT NULL,
  contact_person TEXT NULL
);
CREATE INDEX ix_customers_partner ON customers (partner_id, row_status, id);

CREATE TABLE worktypes (
  id             INTEGER PRIMARY KEY,
  partner_id     INTEGER NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     INTEGER NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  number         TEXT NULL,
  name           TEXT NULL
);
CREATE INDEX ix_worktypes_partner ON worktypes (partner_id, row_status, id);

CREATE TABLE worktimegroups (
  id             INTEGER PRIMARY KEY,
  partner_id     INTEGER NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     INTEGER NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  name           TEXT NULL,
  daily_minutes  INTEGER NULL
);
CREATE INDEX ix_worktimegroups_partner ON worktimegroups (partner_id, row_status, id);

CREATE TABLE abcenses (
  id             INTEGER PRIMARY KEY,
  partner_id     INTEGER NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     INTEGER NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  user_id        INTEGER NULL,
  abcensetype    INTEGER NULL,
  startdate      TEXT NULL,
  enddate        TEXT NULL,
  starttime      TEXT NULL,
  endtime        TEXT NULL,
  dayamount      REAL NULL,
  absence_hours  REAL NULL,
  description    TEXT NULL,
  status         TEXT NULL
);
CREATE INDEX ix_abcenses_partner_date ON abcenses (partner_id, row_status, startdate, id);
CREATE INDEX ix_abcenses_partner_user_date ON abcenses (partner_id, user_id, startdate, id);
CREATE INDEX ix_abcenses_partner_type ON abcenses (partner_id, abcensetype);

CREATE TABLE abcensetypes (
  id             INTEGER PRIMARY KEY,
  partner_id     INTEGER NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     INTEGER NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  name           TEXT NULL,
  type           TEXT NULL
);
CREATE INDEX ix_abcensetypes_partner ON abcensetypes (partner_id, row_status, id);

-- Many-to-many links (project <-> task), stored in both directions so either side is a primary-key prefix lookup.
CREATE TABLE form_links (
  partner_id  INTEGER NOT NULL,
  a_form      TEXT NOT NULL,
  a_id        INTEGER NOT NULL,
  b_form      TEXT NOT NULL,
  b_id        INTEGER NOT NULL,
  PRIMARY KEY (partner_id, a_form, a_id, b_form, b_id)
);
CREATE INDEX ix_form_links_b ON form_links (partner_id, b_form, b_id);

-- Users filtered by worktime group (the user form; login itself uses username_norm, 001_core.sql).
CREATE INDEX ix_users_partner_group ON users (partner_id, worktimegroup);

-- Per-user request quota (docs/forms.md): one fixed window per user, shared by every node.
CREATE TABLE request_quota (
  user_id       INTEGER PRIMARY KEY,
  window_start  INTEGER NOT NULL,
  used          INTEGER NOT NULL
);
