-- Every process caches invoice reads; a process learns of another's changes to what an invoice
-- response is made of (the invoice, its transactions, the chain tip) from these notifications.
-- New invoices need none: no process can have cached an invoice before it existed. Statement
-- triggers with transition tables notify once per statement, and only when rows changed.

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

CREATE TRIGGER invoices_updated AFTER UPDATE ON invoices REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER invoices_deleted AFTER DELETE ON invoices REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER invoices_truncated AFTER TRUNCATE ON invoices
  FOR EACH STATEMENT EXECUTE FUNCTION notify_truncate();

CREATE TRIGGER chain_transactions_inserted AFTER INSERT ON chain_transactions REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER chain_transactions_updated AFTER UPDATE ON chain_transactions REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER chain_transactions_deleted AFTER DELETE ON chain_transactions REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER chain_transactions_truncated AFTER TRUNCATE ON chain_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION notify_truncate();

CREATE TRIGGER blocks_inserted AFTER INSERT ON blocks REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER blocks_updated AFTER UPDATE ON blocks REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER blocks_deleted AFTER DELETE ON blocks REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER blocks_truncated AFTER TRUNCATE ON blocks
  FOR EACH STATEMENT EXECUTE FUNCTION notify_truncate();
