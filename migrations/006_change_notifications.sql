-- Every process caches what requests read most (invoices with their chain view, API tokens with
-- their merchant, rates) until the tables they are made of change. A process counts its own
-- changes; it learns of other processes' from these notifications, sent on commit with the
-- table's name. A new row needs none where no process can have cached it before it existed
-- (invoices, tokens, merchants); statement triggers with transition tables notify once per
-- statement, and only when rows changed.

CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM changed_rows) THEN
    PERFORM pg_notify('bitpay_emulator_changes', TG_TABLE_NAME);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION notify_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('bitpay_emulator_changes', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

DO $$
DECLARE
  watched record;
BEGIN
  FOR watched IN
    SELECT * FROM (VALUES
      ('invoices', 'UPDATE'), ('invoices', 'DELETE'),
      ('chain_transactions', 'INSERT'), ('chain_transactions', 'UPDATE'), ('chain_transactions', 'DELETE'),
      ('blocks', 'INSERT'), ('blocks', 'UPDATE'), ('blocks', 'DELETE'),
      ('tokens', 'UPDATE'), ('tokens', 'DELETE'),
      ('merchants', 'UPDATE'), ('merchants', 'DELETE'),
      ('rates', 'INSERT'), ('rates', 'UPDATE'), ('rates', 'DELETE')
    ) AS w (table_name, event)
  LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change()',
      watched.table_name || '_' || lower(watched.event) || '_notify', watched.event, watched.table_name,
      CASE watched.event WHEN 'DELETE' THEN 'OLD' ELSE 'NEW' END
    );
  END LOOP;
  FOR watched IN SELECT unnest(ARRAY['invoices', 'chain_transactions', 'blocks', 'tokens', 'merchants', 'rates']) AS table_name
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION notify_truncate()',
      watched.table_name || '_truncate_notify', watched.table_name);
  END LOOP;
END
$$;
