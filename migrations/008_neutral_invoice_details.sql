-- The engine's invoice details carry no dialect's vocabulary: BitPay's bitpayIdRequired is
-- stored as identityRequired (the BitPay dialect presents it under its own name).
UPDATE invoices
SET details = (details - 'bitpayIdRequired') || jsonb_build_object('identityRequired', details -> 'bitpayIdRequired')
WHERE details ? 'bitpayIdRequired';
