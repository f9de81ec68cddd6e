-- What the merchant is charged per completed invoice, in percent of its price.
ALTER TABLE merchants ADD COLUMN fee_percent numeric NOT NULL DEFAULT 1;

-- The merchant's ledgers: one signed entry per credit or debit, in the ledger's currency,
-- written in the transaction of what caused it. A balance is the sum of its entries.
CREATE TABLE ledger_entries (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  currency text NOT NULL,
  -- invoice | invoice-fee | refund | refund-fee | payout | payout-fee | payout-return | settlement | deposit
  kind text NOT NULL,
  amount numeric NOT NULL,
  occurred_at bigint NOT NULL,
  invoice_id text,
  refund_id text,
  payout_id text,
  settlement_id text,
  -- what the dialects show beside the amount (the buyer, the invoice's price and currency)
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX ledger_entries_by_merchant ON ledger_entries (merchant_id, currency, occurred_at, seq);
