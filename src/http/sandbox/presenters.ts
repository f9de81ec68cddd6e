import type { Merchant } from '../../engine/merchants.js';
import type { Token } from '../../engine/tokens.js';

export function presentSandboxMerchant(merchant: Merchant) {
  return {
    id: merchant.id,
    name: merchant.name,
    isDefault: merchant.is_default,
    transactionSpeed: merchant.transaction_speed,
    dateCreated: merchant.created_at,
  };
}

export function presentSandboxToken(token: Token) {
  return {
    token: token.token,
    facade: token.facade,
    label: token.label,
    merchantId: token.merchant_id,
    sin: token.sin,
    requireAuth: token.require_auth,
    status: token.status,
    pairingCode: token.pairing_code,
    pairingExpiration: token.pairing_expires_at,
    pairedAt: token.paired_at,
    dateCreated: token.created_at,
  };
}
