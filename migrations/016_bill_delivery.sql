-- What BitPay's bills add to a bill: the merchant's own number, a due date, who pays the
-- processing fee, the bill's own token, and when it was sent to the customer.
ALTER TABLE bills ADD COLUMN reference text;
ALTER TABLE bills ADD COLUMN due_date bigint;
ALTER TABLE bills ADD COLUMN pass_processing_fee boolean NOT NULL DEFAULT false;
ALTER TABLE bills ADD COLUMN resource_token text;
ALTER TABLE bills ADD COLUMN delivered_at bigint;
ALTER TABLE bills ADD COLUMN facade text;
CREATE UNIQUE INDEX bills_by_resource_token ON bills (resource_token) WHERE resource_token IS NOT NULL;
