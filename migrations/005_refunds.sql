-- Refunds, and what the invoice shows of them.

CREATE TABLE refunds (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  invoice_id text NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
  resource_token text NOT NULL UNIQUE,
  guid text,
  reference text,
  status text NOT NULL CHECK (status IN ('preview', 'created', 'pending', 'success', 'failure', 'cancelled')),
  -- in `currency`
  amount numeric NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  refund_fee numeric NOT NULL,
  transaction_amount_sats bigint NOT NULL,
  transaction_refund_fee_sats bigint NOT NULL,
  immediate boolean NOT NULL,
  buyer_pays_refund_fee boolean NOT NULL,
  -- a refund of a confirmed invoice declines it and can no longer be cancelled
  cancellable boolean NOT NULL,
  -- full or partial, against what was paid
  type text NOT NULL CHECK (type IN ('full', 'partial')),
  -- the invoice's notificationURL when the refund was requested
  notification_url text,
  support_request text NOT NULL,
  refund_email text,
  refund_address text,
  txid text,
  request_date bigint NOT NULL,
  last_notification bigint
);

-- BitPay allows one active refund request per invoice (010204), even under concurrent requests.
CREATE UNIQUE INDEX refunds_one_active ON refunds (invoice_id) WHERE status IN ('created', 'pending');
CREATE INDEX refunds_by_invoice ON refunds (invoice_id, seq);
CREATE INDEX refunds_by_guid ON refunds (merchant_id, guid);

ALTER TABLE invoices ADD COLUMN refund_address_request_pending boolean NOT NULL DEFAULT false;
ALTER TABLE invoices ADD COLUMN refund_addresses jsonb NOT NULL DEFAULT '[]';
ALTER TABLE invoices ADD COLUMN refund_info jsonb;

-- outgoing payments (refunds) have no invoice of their own
ALTER TABLE chain_transactions ADD COLUMN refund_id text REFERENCES refunds (id) ON DELETE CASCADE;
