-- The webhook outbox: rows are queued in the same transaction as the change that causes them,
-- and delivered (at least once, in order per stream) by a worker that leases them.

CREATE TABLE webhook_deliveries (
  -- stable across retries, sent as X-Delivery-Id so receivers can deduplicate
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  kind text NOT NULL CHECK (kind IN ('invoice', 'refund')),
  invoice_id text NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
  refund_id text,
  -- deliveries of one stream (an invoice and its refunds) go out in order
  stream text NOT NULL,
  url text NOT NULL,
  event_code integer NOT NULL,
  event_name text NOT NULL,
  extended boolean NOT NULL,
  -- the API token whose HMAC signs the body
  signing_token text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  -- on the emulator's clock
  next_attempt_at bigint NOT NULL,
  -- wall-clock ms until which a worker holds the delivery (a crashed worker's lease runs out)
  lease_until bigint,
  created_at bigint NOT NULL,
  delivered_at bigint
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, seq) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_pending_stream ON webhook_deliveries (stream, seq) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_invoice ON webhook_deliveries (invoice_id, seq);

CREATE TABLE webhook_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  number integer NOT NULL,
  -- on the emulator's clock
  started_at bigint NOT NULL,
  request_headers jsonb NOT NULL,
  request_body text NOT NULL,
  response_status integer,
  response_body text,
  duration_ms integer NOT NULL,
  error text,
  delivered boolean NOT NULL
);

CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, id);
