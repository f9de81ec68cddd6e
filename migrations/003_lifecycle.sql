-- The simulated chain, the invoices' due work, and the shared virtual clock.

CREATE TABLE blocks (
  height bigint PRIMARY KEY,
  hash text NOT NULL UNIQUE,
  previous_hash text,
  time bigint NOT NULL
);

CREATE TABLE chain_transactions (
  txid text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  -- the invoice paid (incoming); null for transactions the emulator sends (refunds)
  invoice_id text REFERENCES invoices (id) ON DELETE CASCADE,
  address text NOT NULL,
  output_index integer NOT NULL,
  amount_sats bigint NOT NULL CHECK (amount_sats > 0),
  fee_sats bigint NOT NULL,
  rbf boolean NOT NULL,
  received_at bigint NOT NULL,
  -- null while in the mempool
  block_height bigint REFERENCES blocks (height),
  -- set when a double spend removed it from the mempool
  double_spent_at bigint
);

CREATE INDEX chain_transactions_by_invoice ON chain_transactions (invoice_id, seq);
CREATE INDEX chain_transactions_mempool ON chain_transactions (seq) WHERE block_height IS NULL AND double_spent_at IS NULL;
CREATE INDEX chain_transactions_by_block ON chain_transactions (block_height);

-- When time alone next changes the invoice (expiry, invalidation), or "now" after a block.
ALTER TABLE invoices ADD COLUMN due_at bigint;
CREATE INDEX invoices_due ON invoices (due_at) WHERE due_at IS NOT NULL;
UPDATE invoices SET due_at = expiration_time + 1 WHERE status = 'new';

-- One row: the virtual clock's time, shared by every process on this database.
CREATE TABLE virtual_clock (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  now bigint NOT NULL
);
