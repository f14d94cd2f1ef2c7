-- Payroll CSV (docs/exports.md, "Payroll CSV"; the form is defined in src/Worktime.Api/Forms/Definitions/BuiltInForms.cs):
-- wage types map worktypes, absence types and overtime to the codes a payroll system books hours under, and a person
-- gets the employee number payroll knows them by.
CREATE TABLE wagetypes (
  id             BIGINT PRIMARY KEY DEFAULT nextval('row_ids'),
  partner_id     BIGINT NOT NULL REFERENCES partners(id),
  created        TEXT NOT NULL,
  modified       TEXT NULL,
  creator_id     BIGINT NULL,
  row_status     TEXT NOT NULL DEFAULT 'normal',
  code           TEXT NULL,
  name           TEXT NULL,
  kind           TEXT NULL,
  worktype       BIGINT NULL,
  abcensetype    BIGINT NULL
);
CREATE INDEX ix_wagetypes_partner ON wagetypes (partner_id, row_status, id);
-- Removing a worktype or an absence type looks for the wage types naming it.
CREATE INDEX ix_wagetypes_partner_worktype ON wagetypes (partner_id, worktype);
CREATE INDEX ix_wagetypes_partner_abcensetype ON wagetypes (partner_id, abcensetype);

-- Nullable without a default: a catalogue change only, however many people the table holds.
ALTER TABLE users ADD COLUMN employee_number TEXT NULL;
