-- Each merchant's last bill number. A trigger numbers every new bill from it, so that drafts made
-- together are one INSERT and the number's row lock is held only while that statement commits
-- (012 took the merchant's row lock for a whole transaction per draft). Numbers stay gapless:
-- a bill that is not written gives its number back with the rollback.
CREATE TABLE bill_numbers (
  merchant_id text PRIMARY KEY REFERENCES merchants (id) ON DELETE CASCADE,
  last integer NOT NULL
);

INSERT INTO bill_numbers (merchant_id, last) SELECT merchant_id, max(number) FROM bills GROUP BY merchant_id;

CREATE FUNCTION number_bill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bill_numbers AS numbers (merchant_id, last) VALUES (NEW.merchant_id, 1)
    ON CONFLICT (merchant_id) DO UPDATE SET last = numbers.last + 1
    RETURNING last INTO NEW.number;
  RETURN NEW;
END
$$;

CREATE TRIGGER bills_numbered BEFORE INSERT ON bills FOR EACH ROW EXECUTE FUNCTION number_bill();
