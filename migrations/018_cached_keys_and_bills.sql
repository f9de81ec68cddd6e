-- Authenticated API keys (Greenfield, btpay) and bills are cached per process like tokens and
-- invoices: every change to them is announced to the other processes sharing the database (see 006).
CREATE TRIGGER api_keys_insert_notify AFTER INSERT ON api_keys
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER api_keys_update_notify AFTER UPDATE ON api_keys
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER api_keys_delete_notify AFTER DELETE ON api_keys
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER api_keys_truncate_notify AFTER TRUNCATE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION notify_truncate();

-- Bills: btpay's invoices and BitPay's bills.
CREATE TRIGGER bills_insert_notify AFTER INSERT ON bills
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER bills_update_notify AFTER UPDATE ON bills
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER bills_delete_notify AFTER DELETE ON bills
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER bills_truncate_notify AFTER TRUNCATE ON bills
  FOR EACH STATEMENT EXECUTE FUNCTION notify_truncate();
