-- What else each process caches (see 006): authenticated API keys, bills, and lists of invoices
-- and bills, which a row inserted by another process changes too.
DO $$
DECLARE
  watched record;
BEGIN
  FOR watched IN
    SELECT * FROM (VALUES
      ('invoices', 'INSERT'),
      ('api_keys', 'UPDATE'), ('api_keys', 'DELETE'),
      ('bills', 'INSERT'), ('bills', 'UPDATE'), ('bills', 'DELETE')
    ) AS w (table_name, event)
  LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change()',
      watched.table_name || '_' || lower(watched.event) || '_notify', watched.event, watched.table_name,
      CASE watched.event WHEN 'DELETE' THEN 'OLD' ELSE 'NEW' END
    );
  END LOOP;
  FOR watched IN SELECT unnest(ARRAY['api_keys', 'bills']) AS table_name
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION notify_truncate()',
      watched.table_name || '_truncate_notify', watched.table_name);
  END LOOP;
END
$$;
