-- vlu's schema 4: each victim's facts for the monitoring return, kept beside the records and
-- written in the same transaction as every change to the victim, its log or its case, so that
-- a return reads one small row per victim and no contact log (docs/REPORT.md).

CREATE TABLE vlu.return_facts (
  unit_id   text COLLATE "C" NOT NULL DEFAULT vlu.current_unit() REFERENCES vlu.units,
  victim_id text COLLATE "C" NOT NULL,
  facts     bytea NOT NULL,
  PRIMARY KEY (unit_id, victim_id)
);

ALTER TABLE vlu.return_facts ENABLE ROW LEVEL SECURITY;
ALTER TABLE vlu.return_facts FORCE ROW LEVEL SECURITY;
CREATE POLICY own_unit ON vlu.return_facts USING (unit_id = vlu.current_unit())
  WITH CHECK (unit_id = vlu.current_unit());
CREATE POLICY national_read ON vlu.return_facts FOR SELECT TO vlu_national USING (true);

GRANT SELECT, INSERT, UPDATE, DELETE ON vlu.return_facts TO vlu_unit;
GRANT SELECT ON vlu.return_facts TO vlu_national;
