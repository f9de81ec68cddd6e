import type { Token } from '../../../engine/entities.js';

/**
 * A token as BitPay's `POST /tokens` returns it. A client-initiated request also carries its
 * pairing code; a claimed merchant-created code does not (BITPAY-WIRE §2.5).
 */
export function presentToken(token: Token, options: { withPairingCode: boolean }) {
  const policies = token.sin
    ? [{ policy: 'id', method: token.status === 'pending' ? 'inactive' : 'require', params: [token.sin] }]
    : [];
  return {
    policies,
    ...(token.status === 'active' && token.merchant_id ? { resource: token.merchant_id } : {}),
    token: token.token,
    facade: token.facade,
    ...(token.label !== null ? { label: token.label } : {}),
    dateCreated: token.created_at,
    ...(options.withPairingCode && token.pairing_code
      ? { pairingExpiration: token.pairing_expires_at, pairingCode: token.pairing_code }
      : {}),
  };
}
