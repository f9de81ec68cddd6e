-- Merchants, their API tokens and pairing codes. Times are milliseconds since the epoch
-- (BitPay's own unit), read from the emulator's clock.

CREATE TABLE merchants (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  transaction_speed text NOT NULL DEFAULT 'medium' CHECK (transaction_speed IN ('high', 'medium', 'low')),
  created_at bigint NOT NULL
);

CREATE UNIQUE INDEX merchants_single_default ON merchants (is_default) WHERE is_default;

CREATE TABLE tokens (
  token text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  merchant_id text REFERENCES merchants (id) ON DELETE CASCADE,
  facade text NOT NULL CHECK (facade IN ('pos', 'merchant', 'payout')),
  label text,
  sin text,
  require_auth boolean NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'active', 'revoked')),
  pairing_code text UNIQUE,
  pairing_expires_at bigint,
  paired_at bigint,
  created_at bigint NOT NULL
);

CREATE INDEX tokens_by_sin ON tokens (sin) WHERE sin IS NOT NULL;
CREATE INDEX tokens_by_merchant ON tokens (merchant_id);
