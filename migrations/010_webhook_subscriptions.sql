-- A payment settles its invoice at the invoice's speed policy; the engine says so once, when it
-- happens. Payments of invoices already settled count as settled when they arrived.
ALTER TABLE chain_transactions ADD COLUMN settled_at bigint;
UPDATE chain_transactions t SET settled_at = t.received_at
FROM invoices i
WHERE t.invoice_id = i.id AND i.status IN ('confirmed', 'complete') AND t.double_spent_at IS NULL;

-- Webhooks a merchant subscribes to through a dialect's API (Greenfield's store webhooks). BitPay
-- has none: its subscription is the invoice's notificationURL.
CREATE TABLE webhook_subscriptions (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  dialect text NOT NULL,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  url text NOT NULL,
  secret text NOT NULL,
  enabled boolean NOT NULL,
  automatic_redelivery boolean NOT NULL,
  -- null: every event; else the dialect's event names
  events jsonb,
  created_at bigint NOT NULL
);

CREATE INDEX webhook_subscriptions_by_merchant ON webhook_subscriptions (dialect, merchant_id);

-- Each process caches the subscriptions; other processes learn of changes as of migrations/006.
CREATE TRIGGER webhook_subscriptions_insert_notify AFTER INSERT ON webhook_subscriptions
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER webhook_subscriptions_update_notify AFTER UPDATE ON webhook_subscriptions
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER webhook_subscriptions_delete_notify AFTER DELETE ON webhook_subscriptions
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER webhook_subscriptions_truncate_notify AFTER TRUNCATE ON webhook_subscriptions
  FOR EACH STATEMENT EXECUTE FUNCTION notify_truncate();

-- A subscription's deliveries carry the event's data as it was when the event happened, and
-- a redelivery names the delivery it repeats. `retries`: whether a failed attempt is retried.
ALTER TABLE webhook_deliveries ADD COLUMN subscription_id text;
ALTER TABLE webhook_deliveries ADD COLUMN payload jsonb;
ALTER TABLE webhook_deliveries ADD COLUMN original_delivery_id text;
ALTER TABLE webhook_deliveries ADD COLUMN retries boolean NOT NULL DEFAULT true;
CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, seq) WHERE subscription_id IS NOT NULL;
