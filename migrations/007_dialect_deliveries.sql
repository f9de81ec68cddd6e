-- Webhook deliveries belong to the dialect whose subscriber queued them: its webhook format
-- renders, signs and retries them. Rows queued before dialects existed were BitPay's.
ALTER TABLE webhook_deliveries ADD COLUMN dialect text NOT NULL DEFAULT 'bitpay';
ALTER TABLE webhook_deliveries ALTER COLUMN dialect DROP DEFAULT;
-- the secret the dialect signs the body with (BitPay: the API token that created the invoice)
ALTER TABLE webhook_deliveries RENAME COLUMN signing_token TO signing_key;
-- not every dialect numbers its events
ALTER TABLE webhook_deliveries ALTER COLUMN event_code DROP NOT NULL;
