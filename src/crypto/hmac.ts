import { createHmac } from 'node:crypto';

/**
 * HMAC-SHA256 of a webhook's raw body: BitPay's x-signature is its base64, keyed by the API
 * token (BITPAY-WIRE §5.5); BTCPay's BTCPay-Sig its hex, keyed by the webhook's secret.
 */
export function webhookSignature(body: string, key: string, encoding: 'base64' | 'hex' = 'base64'): string {
  return createHmac('sha256', key).update(body, 'utf8').digest(encoding);
}
