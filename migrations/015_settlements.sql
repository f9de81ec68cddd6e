-- How often a merchant's ledgers are settled to its bank (0: only when the sandbox says so), when
-- next, and the bank account settlements go to (null: the sandbox's default account).
ALTER TABLE merchants ADD COLUMN settlement_interval_ms bigint NOT NULL DEFAULT 604800000;
ALTER TABLE merchants ADD COLUMN next_settlement_at bigint;
ALTER TABLE merchants ADD COLUMN payout_info jsonb;

-- A settlement pays a ledger's balance out to the merchant's bank: everything the ledger gained
-- since the previous settlement of that currency (entries after `opening_entry_seq`), less what
-- is withheld; its own debit is the entry `closing_entry_seq`.
CREATE TABLE settlements (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  currency text NOT NULL,
  -- processing | completed
  status text NOT NULL,
  opening_date bigint NOT NULL,
  closing_date bigint NOT NULL,
  opening_entry_seq bigint NOT NULL,
  closing_entry_seq bigint,
  opening_balance numeric NOT NULL,
  ledger_entries_sum numeric NOT NULL,
  withholdings jsonb NOT NULL,
  withholdings_sum numeric NOT NULL,
  total_amount numeric NOT NULL,
  payout_info jsonb NOT NULL,
  resource_token text NOT NULL UNIQUE,
  date_created bigint NOT NULL,
  date_executed bigint,
  due_at bigint
);
CREATE INDEX settlements_by_merchant ON settlements (merchant_id, currency, seq);
CREATE INDEX settlements_due ON settlements (due_at) WHERE due_at IS NOT NULL;
