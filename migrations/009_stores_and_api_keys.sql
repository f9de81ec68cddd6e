-- A merchant is a store (BTCPay's Greenfield API speaks of stores): the store settings that
-- invoices take their defaults from.
ALTER TABLE merchants ADD COLUMN default_currency text NOT NULL DEFAULT 'USD';
ALTER TABLE merchants ADD COLUMN website text;
ALTER TABLE merchants ADD COLUMN invoice_expiration_seconds integer NOT NULL DEFAULT 900;
ALTER TABLE merchants ADD COLUMN monitoring_expiration_seconds integer NOT NULL DEFAULT 86400;
-- percent of the amount that may be missing and still count as paid in full
ALTER TABLE merchants ADD COLUMN payment_tolerance numeric NOT NULL DEFAULT 0;

-- lowMedium: confirmed after 2 confirmations (BTCPay's LowMediumSpeed)
ALTER TABLE merchants DROP CONSTRAINT merchants_transaction_speed_check;
ALTER TABLE merchants ADD CONSTRAINT merchants_transaction_speed_check CHECK (transaction_speed IN ('high', 'medium', 'lowMedium', 'low'));
ALTER TABLE invoices DROP CONSTRAINT invoices_transaction_speed_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_transaction_speed_check CHECK (transaction_speed IN ('high', 'medium', 'lowMedium', 'low'));

-- marked: the merchant set the status by hand
ALTER TABLE invoices DROP CONSTRAINT invoices_exception_status_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_exception_status_check CHECK (exception_status IN ('paidPartial', 'paidOver', 'paidLate', 'marked'));

-- the invoice's own tolerance, taken from its store's or its request
ALTER TABLE invoices ADD COLUMN payment_tolerance numeric NOT NULL DEFAULT 0;

-- archived invoices leave a dialect's lists unless asked for; nothing else changes
ALTER TABLE invoices ADD COLUMN archived boolean NOT NULL DEFAULT false;

-- API keys of the dialects that use them instead of BitPay's tokens. A key belongs to the
-- sandbox user; its permissions (dialect strings, optionally scoped to a store) say what it may do.
CREATE TABLE api_keys (
  key text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  dialect text NOT NULL,
  merchant_id text REFERENCES merchants (id) ON DELETE CASCADE,
  label text,
  permissions jsonb NOT NULL,
  created_at bigint NOT NULL,
  revoked_at bigint
);

CREATE INDEX api_keys_by_merchant ON api_keys (merchant_id);
