-- vlu's schema 2: each contact a row of its own, which a unit's role may add and read but
-- never change or remove. Removing contacts — an erasure, or an import that replaces a
-- victim's log — is a function of its own (`vlu.remove_contacts`), owned by the `vlu_admin`
-- role, that records every removal in `vlu.contact_removals`, which is only added to.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vlu_admin') THEN
    CREATE ROLE vlu_admin NOLOGIN;
  END IF;
END
$$;

CREATE TABLE vlu.contacts (
  unit_id   text COLLATE "C" NOT NULL DEFAULT vlu.current_unit() REFERENCES vlu.units,
  victim_id text COLLATE "C" NOT NULL,
  -- The contact's place in the victim's log, from 1.
  n         integer NOT NULL CHECK (n > 0),
  contact   jsonb NOT NULL CHECK (jsonb_typeof(contact) = 'object'),
  kind      text GENERATED ALWAYS AS (contact ->> 'kind') STORED
            CHECK (kind IN ('initial_offer', 'second_offer', 'opt_in', 'decline', 'update',
                            'annual_letter', 'written_follow_up', 'meeting_record',
                            'licence_conditions', 'vps', 'complaint', 'complaint_ack',
                            'agency', 'closure', 'note')),
  direction text GENERATED ALWAYS AS (contact ->> 'direction') STORED
            CHECK (direction IN ('outbound', 'inbound', 'internal')),
  PRIMARY KEY (unit_id, victim_id, n),
  FOREIGN KEY (unit_id, victim_id) REFERENCES vlu.victims (unit_id, id)
    DEFERRABLE INITIALLY DEFERRED
);

INSERT INTO vlu.contacts (unit_id, victim_id, n, contact)
  SELECT l.unit_id, l.victim_id, e.n, e.contact
  FROM vlu.contact_logs l
  CROSS JOIN LATERAL jsonb_array_elements(l.contacts) WITH ORDINALITY AS e(contact, n);
-- Their foreign keys checked now: the table is altered below, which pending checks forbid.
SET CONSTRAINTS ALL IMMEDIATE;

DROP TABLE vlu.contact_logs;

-- Each victim's log as one list, as the store reads it; row-level security applies to the
-- reader, as on the table.
CREATE VIEW vlu.contact_logs WITH (security_invoker = true) AS
  SELECT unit_id, victim_id, jsonb_agg(contact ORDER BY n) AS contacts
  FROM vlu.contacts
  GROUP BY unit_id, victim_id;

-- Every removal of contacts: whose, how many, why, by which unit's role, when.
CREATE TABLE vlu.contact_removals (
  unit_id    text COLLATE "C" NOT NULL REFERENCES vlu.units,
  victim_id  text COLLATE "C" NOT NULL,
  contacts   integer NOT NULL CHECK (contacts > 0),
  why        text NOT NULL CHECK (why IN ('removed', 'rewritten')),
  db_role    name NOT NULL,
  removed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_removals_by_unit ON vlu.contact_removals (unit_id, removed_at);

ALTER TABLE vlu.contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE vlu.contacts FORCE ROW LEVEL SECURITY;
CREATE POLICY own_unit ON vlu.contacts
  USING (unit_id = vlu.current_unit()) WITH CHECK (unit_id = vlu.current_unit());
ALTER TABLE vlu.contact_removals ENABLE ROW LEVEL SECURITY;
ALTER TABLE vlu.contact_removals FORCE ROW LEVEL SECURITY;
CREATE POLICY own_unit ON vlu.contact_removals
  USING (unit_id = vlu.current_unit()) WITH CHECK (unit_id = vlu.current_unit());
-- The removal function runs as `vlu_admin`, whose role is no unit's: it names the unit of
-- the role that called it itself.
CREATE POLICY removal ON vlu.contacts TO vlu_admin USING (true);
CREATE POLICY removal ON vlu.contact_removals TO vlu_admin USING (true) WITH CHECK (true);

-- Removes the contacts of `victims` in the calling role's unit, recording how many each and
-- `why`; returns how many victims had any.
CREATE FUNCTION vlu.remove_contacts(victims text[], why text) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  unit text := (SELECT id FROM vlu.units WHERE db_role = session_user);
  removed integer;
BEGIN
  IF unit IS NULL THEN
    RAISE EXCEPTION 'the role % is not a unit''s', session_user USING ERRCODE = '42501';
  END IF;
  WITH gone AS (
    DELETE FROM vlu.contacts c
    WHERE c.unit_id = unit AND c.victim_id = ANY (victims)
    RETURNING c.victim_id
  )
  INSERT INTO vlu.contact_removals (unit_id, victim_id, contacts, why, db_role)
    SELECT unit, victim_id, count(*), why, session_user FROM gone GROUP BY victim_id;
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END
$$;
ALTER FUNCTION vlu.remove_contacts(text[], text) OWNER TO vlu_admin;
REVOKE ALL ON FUNCTION vlu.remove_contacts(text[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vlu.remove_contacts(text[], text) TO vlu_unit;

GRANT USAGE ON SCHEMA vlu TO vlu_admin;
GRANT SELECT ON vlu.units TO vlu_admin;
GRANT SELECT, DELETE ON vlu.contacts TO vlu_admin;
GRANT INSERT ON vlu.contact_removals TO vlu_admin;

-- A unit's role adds and reads contacts; it never changes or removes them.
GRANT SELECT, INSERT ON vlu.contacts TO vlu_unit;
GRANT SELECT ON vlu.contact_logs, vlu.contact_removals TO vlu_unit;
