-- Invoices, their events, and the rates they lock.

-- Next BIP84 receive index: a sequence, so concurrent creations never share an address and an
-- index is never handed out twice, even across restarts and resets.
CREATE SEQUENCE address_derivation_index AS bigint MINVALUE 0 START 0;

-- Units of each currency per 1 BTC.
CREATE TABLE rates (
  code text PRIMARY KEY,
  rate numeric NOT NULL CHECK (rate > 0),
  updated_at bigint NOT NULL
);

CREATE TABLE invoices (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  resource_token text NOT NULL UNIQUE,
  event_token text NOT NULL UNIQUE,
  -- the API token that created the invoice (its facade, and the key of webhook signatures)
  api_token text NOT NULL,
  facade text NOT NULL CHECK (facade IN ('pos', 'merchant')),
  guid text,
  order_id text,
  status text NOT NULL CHECK (status IN ('new', 'paid', 'confirmed', 'complete', 'expired', 'invalid', 'declined')),
  exception_status text CHECK (exception_status IN ('paidPartial', 'paidOver', 'paidLate')),
  is_cancelled boolean NOT NULL DEFAULT false,
  price numeric NOT NULL CHECK (price > 0),
  currency text NOT NULL,
  -- the BTC rate in the invoice currency and every BTC rate, locked at creation
  rate numeric NOT NULL,
  exchange_rates jsonb NOT NULL,
  subtotal_sats bigint NOT NULL,
  miner_fee_sats bigint NOT NULL,
  sats_per_byte integer NOT NULL,
  amount_paid_sats bigint NOT NULL DEFAULT 0,
  address text NOT NULL UNIQUE,
  derivation_index bigint NOT NULL,
  transaction_speed text NOT NULL CHECK (transaction_speed IN ('high', 'medium', 'low')),
  full_notifications boolean NOT NULL,
  extended_notifications boolean NOT NULL,
  notification_url text,
  redirect_url text,
  close_url text,
  auto_redirect boolean NOT NULL,
  buyer jsonb NOT NULL,
  buyer_provided jsonb NOT NULL,
  -- request fields that are only echoed back (itemDesc, posData, itemizedDetails, …)
  details jsonb NOT NULL,
  invoice_time bigint NOT NULL,
  expiration_time bigint NOT NULL
);

CREATE INDEX invoices_by_merchant_time ON invoices (merchant_id, invoice_time DESC, seq DESC);
CREATE INDEX invoices_by_merchant_guid ON invoices (merchant_id, guid);
CREATE INDEX invoices_by_merchant_order ON invoices (merchant_id, order_id);

-- Append-only history: every change of an invoice's status or exception status.
CREATE TABLE invoice_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  invoice_id text NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
  type text NOT NULL,
  from_status text,
  to_status text NOT NULL,
  exception_status text,
  detail jsonb NOT NULL DEFAULT '{}',
  occurred_at bigint NOT NULL
);

CREATE INDEX invoice_events_by_invoice ON invoice_events (invoice_id, id);
