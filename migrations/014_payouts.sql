-- Merchant settings of the payout and settlement features.
ALTER TABLE merchants ADD COLUMN recipients_auto_active boolean NOT NULL DEFAULT false;

-- People a merchant pays out to: invited by e-mail, active once they have accepted.
CREATE TABLE payout_recipients (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  email text NOT NULL,
  label text,
  notification_url text,
  -- invited | unverified | verified | active | paused | removed
  status text NOT NULL,
  shopper_id text,
  resource_token text NOT NULL UNIQUE,
  guid text,
  -- the credential that made it: its webhooks are signed with it
  api_token text NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX payout_recipients_by_merchant ON payout_recipients (merchant_id, seq);

-- Payouts: money from a merchant's ledger to a recipient, sent on the simulated chain.
CREATE TABLE payouts (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  recipient_id text NOT NULL REFERENCES payout_recipients (id) ON DELETE CASCADE,
  -- new | funded | processing | complete | failed | cancelled
  status text NOT NULL,
  amount numeric NOT NULL,
  currency text NOT NULL,
  ledger_currency text NOT NULL,
  -- the amount and fee debited from the ledger, once funded
  ledger_amount numeric,
  ledger_fee numeric,
  -- {BTC: {USD: 65000, …}} at creation
  exchange_rates jsonb NOT NULL,
  reference text,
  label text,
  notification_url text,
  notification_email text,
  ignore_emails boolean NOT NULL DEFAULT false,
  effective_date bigint NOT NULL,
  request_date bigint NOT NULL,
  date_executed bigint,
  group_id text,
  resource_token text NOT NULL UNIQUE,
  api_token text NOT NULL,
  -- why it waits or failed, in words (BitPay's `message`)
  message text,
  -- when the scheduler must next look at it
  due_at bigint
);
CREATE INDEX payouts_by_merchant ON payouts (merchant_id, request_date, seq);
CREATE INDEX payouts_due ON payouts (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX payouts_by_group ON payouts (group_id) WHERE group_id IS NOT NULL;

-- The transaction that pays a payout out.
ALTER TABLE chain_transactions ADD COLUMN payout_id text;

-- Webhooks about payouts and recipients carry the object as it was when queued.
ALTER TABLE webhook_deliveries ADD COLUMN payout_id text;
ALTER TABLE webhook_deliveries ADD COLUMN recipient_id text;
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_kind_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_kind_check CHECK (kind IN ('invoice', 'refund', 'payout', 'recipient'));
