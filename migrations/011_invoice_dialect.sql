-- The dialect an invoice was made through: its checkout page takes that dialect's look and
-- words. Invoices made before dialects existed were BitPay's.
ALTER TABLE invoices ADD COLUMN dialect text NOT NULL DEFAULT 'bitpay';
ALTER TABLE invoices ALTER COLUMN dialect DROP DEFAULT;
