-- Pending absences (docs/forms.md, "Absence approval"): a supervisor's list is GET /abcenses?requires_approval=1
-- &status=open over a range of start dates that spans years (requests are made ahead and sometimes late). Through
-- the start-date index that read every absence of the partner in the range to keep the few still waiting; after
-- ANALYZE PostgreSQL read the whole table instead. Only the waiting ones are in this index, so it stays as small as
-- the queue of decisions, whatever the history. (SQLite plans a statement before its values are bound and so cannot
-- prove the condition of a partial index from parameters; it keeps its plan through the start-date index, and this
-- index costs it only the pending rows.)
CREATE INDEX ix_abcenses_pending ON abcenses (partner_id, row_status, startdate, id) WHERE requires_approval = 1 AND status = 'open';
