-- A subscription sends a merchant's customer the same bill on a schedule: while active, each
-- delivery makes a bill from the template and sends it.
CREATE TABLE subscriptions (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  dialect text NOT NULL,
  -- draft | active | cancelled
  status text NOT NULL,
  -- weekly | monthly | quarterly | yearly
  schedule text NOT NULL,
  -- the bill each delivery makes, in the engine's words (a NewBill)
  bill_template jsonb NOT NULL,
  next_delivery bigint NOT NULL,
  resource_token text NOT NULL UNIQUE,
  created_at bigint NOT NULL,
  -- when the scheduler must deliver (active subscriptions only)
  due_at bigint
);
CREATE INDEX subscriptions_by_merchant ON subscriptions (merchant_id, seq);
CREATE INDEX subscriptions_due ON subscriptions (due_at) WHERE due_at IS NOT NULL;
ALTER TABLE bills ADD COLUMN subscription_id text;
