import { createHmac } from 'node:crypto';

/** The x-signature of a webhook: base64 HMAC-SHA256 of the raw body, keyed by the API token (BITPAY-WIRE §5.5). */
export function webhookSignature(body: string, token: string): string {
  return createHmac('sha256', token).update(body, 'utf8').digest('base64');
}
