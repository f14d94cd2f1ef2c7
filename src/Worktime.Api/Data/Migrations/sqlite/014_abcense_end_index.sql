-- Absences by their end (docs/forms.md, "Query plans"): the absences of a period are those starting in it (the
-- startdate index) and those that started before it and are still running at its start (this index). Without it
-- the second part read every earlier absence of the partner, so a month's split grew with the years of history.
-- No row_status column: beside (partner_id, row_status, startdate, id) an index that also led with the partner and
-- the status was the smaller of the two, and PostgreSQL without statistics then took it for every month's listing.
CREATE INDEX ix_abcenses_partner_end ON abcenses (partner_id, enddate);
