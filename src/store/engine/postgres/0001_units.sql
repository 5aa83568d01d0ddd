-- vlu's schema 1: the units, their records and their audit trails, kept apart by unit.
--
-- Every table carries its unit (`unit_id`), filled in from the role that connects
-- (`vlu.current_unit()`), and row-level security confines each unit's role to its own rows,
-- forced for the tables' owner too. A unit's service connects as the unit's role: a member
-- of `vlu_unit`, never a superuser or a role that bypasses row security (vlu refuses those).
--
-- Records are `jsonb`, as the store writes them, beside the columns the queries and the
-- constraints need (generated from the record, so the two cannot disagree).

CREATE SCHEMA vlu;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vlu_unit') THEN
    CREATE ROLE vlu_unit NOLOGIN;
  END IF;
END
$$;

CREATE TABLE vlu.schema_migrations (
  version    integer PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- Which database role is which unit's. Only an administrator changes it (`vlu db add-unit`).
CREATE TABLE vlu.units (
  id      text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  name    text NOT NULL CHECK (name <> ''),
  db_role name NOT NULL UNIQUE
);

-- The unit of the role speaking (NULL: the role is no unit's).
CREATE FUNCTION vlu.current_unit() RETURNS text
  LANGUAGE sql STABLE
  AS $$ SELECT id FROM vlu.units WHERE db_role = current_user $$;

-- The unit's settings: the store's schema, its unit record, its extra days off, an import's
-- marker.
CREATE TABLE vlu.meta (
  unit_id text COLLATE "C" NOT NULL DEFAULT vlu.current_unit() REFERENCES vlu.units,
  key     text COLLATE "C" NOT NULL,
  value   bytea NOT NULL,
  PRIMARY KEY (unit_id, key)
);

CREATE TABLE vlu.officers (
  unit_id text COLLATE "C" NOT NULL DEFAULT vlu.current_unit() REFERENCES vlu.units,
  id      text COLLATE "C" NOT NULL,
  record  jsonb NOT NULL,
  role    text GENERATED ALWAYS AS (record ->> 'role') STORED
          CHECK (role IN ('vlo', 'manager', 'admin')),
  PRIMARY KEY (unit_id, id)
);

CREATE TABLE vlu.cases (
  unit_id     text COLLATE "C" NOT NULL DEFAULT vlu.current_unit() REFERENCES vlu.units,
  id          text COLLATE "C" NOT NULL,
  record      jsonb NOT NULL,
  sentence    text GENERATED ALWAYS AS (record -> 'sentence' ->> 'kind') STORED
              CHECK (sentence IN ('sds', 'eds', 'sopc', 'life', 'ipp', 'dto', 'hospital_order',
                                  'restricted_hospital_order', 'transfer_direction', 'other')),
  category    text GENERATED ALWAYS AS (record -> 'offence' ->> 'category') STORED
              CHECK (category IN ('violent', 'sexual', 'other')),
  PRIMARY KEY (unit_id, id)
);

-- A victim's record, without the contact log.
CREATE TABLE vlu.victims (
  unit_id      text COLLATE "C" NOT NULL DEFAULT vlu.current_unit() REFERENCES vlu.units,
  id           text COLLATE "C" NOT NULL,
  record       jsonb NOT NULL,
  case_id      text COLLATE "C" GENERATED ALWAYS AS (record ->> 'case_id') STORED,
  allocated_to text COLLATE "C" GENERATED ALWAYS AS (record ->> 'allocated_to') STORED,
  status       text GENERATED ALWAYS AS (record ->> 'status') STORED
               CHECK (status IN ('referred', 'offer_sent', 'opted_in', 'declined', 'opted_out',
                                 'closed')),
  eligibility  text GENERATED ALWAYS AS (record ->> 'eligibility') STORED
               CHECK (eligibility IN ('statutory', 'discretionary')),
  PRIMARY KEY (unit_id, id),
  FOREIGN KEY (unit_id, case_id) REFERENCES vlu.cases (unit_id, id)
    DEFERRABLE INITIALLY DEFERRED,
  FOREIGN KEY (unit_id, allocated_to) REFERENCES vlu.officers (unit_id, id)
    DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX victims_by_case ON vlu.victims (unit_id, case_id);
CREATE INDEX victims_by_officer ON vlu.victims (unit_id, allocated_to);

-- A victim's contact log, in the order it was logged.
CREATE TABLE vlu.contact_logs (
  unit_id   text COLLATE "C" NOT NULL DEFAULT vlu.current_unit() REFERENCES vlu.units,
  victim_id text COLLATE "C" NOT NULL,
  contacts  jsonb NOT NULL CHECK (jsonb_typeof(contacts) = 'array'),
  PRIMARY KEY (unit_id, victim_id),
  FOREIGN KEY (unit_id, victim_id) REFERENCES vlu.victims (unit_id, id)
    DEFERRABLE INITIALLY DEFERRED
);

-- What the diary and the caseload list need of each case and its victims, in shards.
CREATE TABLE vlu.digest_shards (
  unit_id text COLLATE "C" NOT NULL DEFAULT vlu.current_unit() REFERENCES vlu.units,
  shard   smallint NOT NULL CHECK (shard BETWEEN 0 AND 255),
  body    bytea NOT NULL,
  PRIMARY KEY (unit_id, shard)
);

CREATE TABLE vlu.snoozes (
  unit_id  text COLLATE "C" NOT NULL DEFAULT vlu.current_unit() REFERENCES vlu.units,
  reminder text COLLATE "C" NOT NULL,
  snooze   jsonb NOT NULL,
  PRIMARY KEY (unit_id, reminder)
);

-- The version each victim ('v') and case ('c') record was last saved at.
CREATE TABLE vlu.versions (
  unit_id text COLLATE "C" NOT NULL DEFAULT vlu.current_unit() REFERENCES vlu.units,
  kind    text COLLATE "C" NOT NULL CHECK (kind IN ('v', 'c')),
  id      text COLLATE "C" NOT NULL,
  stamp   jsonb NOT NULL,
  PRIMARY KEY (unit_id, kind, id)
);

-- Erased victims ('v') and cases ('c'): the id and the day, never anything of the record.
CREATE TABLE vlu.erased (
  unit_id text COLLATE "C" NOT NULL DEFAULT vlu.current_unit() REFERENCES vlu.units,
  kind    text COLLATE "C" NOT NULL CHECK (kind IN ('v', 'c')),
  id      text COLLATE "C" NOT NULL,
  erased  jsonb NOT NULL,
  PRIMARY KEY (unit_id, kind, id)
);

-- The audit trail: appended to, never changed. `seq` is the change's number in its unit.
CREATE TABLE vlu.audit (
  unit_id     text COLLATE "C" NOT NULL DEFAULT vlu.current_unit() REFERENCES vlu.units,
  seq         bigint NOT NULL CHECK (seq > 0),
  entry       jsonb NOT NULL,
  db_role     name NOT NULL DEFAULT current_user,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (unit_id, seq)
);

-- What a large write staged, to be undone if it does not finish.
CREATE TABLE vlu.undo (
  unit_id text COLLATE "C" NOT NULL DEFAULT vlu.current_unit() REFERENCES vlu.units,
  key     bytea NOT NULL,
  value   bytea NOT NULL,
  PRIMARY KEY (unit_id, key)
);

-- Each unit's counters: '' counts its writes (and every write takes its row, so a unit's
-- writes are one at a time); 'a' is the audit trail's last number.
CREATE TABLE vlu.counters (
  unit_id text COLLATE "C" NOT NULL DEFAULT vlu.current_unit() REFERENCES vlu.units,
  log     text COLLATE "C" NOT NULL,
  last    bigint NOT NULL CHECK (last >= 0),
  PRIMARY KEY (unit_id, log)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['meta', 'officers', 'cases', 'victims', 'contact_logs',
                           'digest_shards', 'snoozes', 'versions', 'erased', 'audit', 'undo',
                           'counters']
  LOOP
    EXECUTE format('ALTER TABLE vlu.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE vlu.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY own_unit ON vlu.%I USING (unit_id = vlu.current_unit()) '
                   'WITH CHECK (unit_id = vlu.current_unit())', t);
  END LOOP;
END
$$;

REVOKE ALL ON ALL TABLES IN SCHEMA vlu FROM PUBLIC;
GRANT USAGE ON SCHEMA vlu TO vlu_unit;
GRANT SELECT ON vlu.units, vlu.schema_migrations TO vlu_unit;
GRANT SELECT, INSERT, UPDATE, DELETE
  ON vlu.meta, vlu.officers, vlu.cases, vlu.victims, vlu.contact_logs, vlu.digest_shards,
     vlu.snoozes, vlu.versions, vlu.erased, vlu.undo
  TO vlu_unit;
-- The audit trail is appended to only.
GRANT SELECT, INSERT ON vlu.audit TO vlu_unit;
GRANT SELECT, INSERT, UPDATE ON vlu.counters TO vlu_unit;
