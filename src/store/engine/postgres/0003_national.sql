-- vlu's schema 3: a national role, `vlu_national`, that reads every unit's rows and writes
-- none. It is granted only explicitly, to a login role of its own (`vlu db add-national-role`),
-- never to a unit's role; vlu refuses to keep a unit's records as it (it is no unit's).

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vlu_national') THEN
    CREATE ROLE vlu_national NOLOGIN;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA vlu TO vlu_national;
GRANT SELECT ON vlu.units, vlu.schema_migrations, vlu.contact_logs TO vlu_national;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['meta', 'officers', 'cases', 'victims', 'contacts',
                           'contact_removals', 'digest_shards', 'snoozes', 'versions',
                           'erased', 'audit', 'counters']
  LOOP
    EXECUTE format('GRANT SELECT ON vlu.%I TO vlu_national', t);
    EXECUTE format('CREATE POLICY national_read ON vlu.%I FOR SELECT TO vlu_national '
                   'USING (true)', t);
  END LOOP;
END
$$;
