-- A bill: a numbered, line-itemed request for payment that a merchant drafts before it can be
-- paid; issuing it makes its invoice. (The invoices of seed 001's API; BitPay's bills later.)
CREATE TABLE bills (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  dialect text NOT NULL,
  -- sequential per merchant, from 1
  number integer NOT NULL,
  -- draft | issued | cancelled (an issued bill's state is its invoice's)
  status text NOT NULL,
  currency text NOT NULL,
  -- [{description, quantity, unitPrice}] with decimal strings
  lines jsonb NOT NULL,
  tax_rate numeric NOT NULL DEFAULT 0,
  discount numeric NOT NULL DEFAULT 0,
  -- {email?, name?, company?}
  customer jsonb NOT NULL DEFAULT '{}'::jsonb,
  notes text NOT NULL DEFAULT '',
  payment_methods jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  payment_link_id text,
  redirect_url text,
  invoice_id text REFERENCES invoices (id) ON DELETE SET NULL,
  created_at bigint NOT NULL,
  issued_at bigint,
  cancelled_at bigint,
  -- a bank transfer the sandbox said arrived
  wire_received_at bigint,
  UNIQUE (merchant_id, number)
);

CREATE INDEX bills_by_merchant ON bills (merchant_id, seq DESC);
CREATE INDEX bills_by_invoice ON bills (invoice_id) WHERE invoice_id IS NOT NULL;

-- A public page where payers pay a merchant a fixed or chosen amount; each payment is a bill.
CREATE TABLE payment_links (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  dialect text NOT NULL,
  slug text NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- null: the payer chooses
  amount numeric,
  currency text NOT NULL,
  payment_methods jsonb NOT NULL,
  redirect_url text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  active boolean NOT NULL DEFAULT true,
  created_at bigint NOT NULL,
  UNIQUE (merchant_id, slug)
);

-- Receive addresses given back by cancelled invoices that never saw a payment, for dialects
-- whose invoices reuse them (seed 001's "releases the address back to the pool").
CREATE TABLE released_addresses (
  derivation_index integer PRIMARY KEY,
  address text NOT NULL,
  released_at bigint NOT NULL
);

-- A webhook's own words for itself (seed 001's `description`).
ALTER TABLE webhook_subscriptions ADD COLUMN description text;

-- A bill's own webhooks (created, cancelled while a draft) come before it has an invoice.
ALTER TABLE webhook_deliveries ALTER COLUMN invoice_id DROP NOT NULL;
ALTER TABLE webhook_deliveries ADD COLUMN bill_id text;

-- An address given back to the pool belongs to the cancelled invoice and to the one that reuses
-- it; no two open invoices share one (the pool hands each out once).
ALTER TABLE invoices DROP CONSTRAINT invoices_address_key;
CREATE INDEX invoices_by_address ON invoices (address);
