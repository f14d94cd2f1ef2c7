-- Absence approval (docs/forms.md, "Absence approval"): a type may require a supervisor's approval; an absence keeps
-- whether its type required it when it was written (so changing the type later does not reopen old absences) and
-- the reason it was rejected. Existing types and absences need no approval: they count in the balance as before.
ALTER TABLE abcensetypes ADD COLUMN requires_approval INTEGER NULL DEFAULT 0;
ALTER TABLE abcenses ADD COLUMN requires_approval INTEGER NULL DEFAULT 0;
ALTER TABLE abcenses ADD COLUMN rejection_reason TEXT NULL;
