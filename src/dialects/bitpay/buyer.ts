import type { Buyer } from '../../domain/invoice.js';

type BuyerSource = Record<string, unknown>;

/** BitPay's current buyer field names, each with the older names clients still send and the flat v1 name. */
const BUYER_FIELDS: [keyof Buyer, string[], string][] = [
  ['name', ['name'], 'buyerName'],
  ['address1', ['address1'], 'buyerAddress1'],
  ['address2', ['address2'], 'buyerAddress2'],
  ['locality', ['locality', 'city'], 'buyerCity'],
  ['region', ['region', 'state'], 'buyerState'],
  ['postalCode', ['postalCode', 'zip'], 'buyerZip'],
  ['country', ['country'], 'buyerCountry'],
  ['email', ['email'], 'buyerEmail'],
  ['phone', ['phone'], 'buyerPhone'],
  ['notify', ['notify'], 'buyerNotify'],
];

/** The buyer under the flat v1 names (buyerName, buyerCity…), as BitPay's standard IPN `buyerFields` carries it. */
export function flatBuyerFields(buyer: Buyer): Record<string, string | boolean> {
  const fields: Record<string, string | boolean> = {};
  for (const [field, , flatName] of BUYER_FIELDS) {
    const value = buyer[field];
    if (value !== undefined) fields[flatName] = value;
  }
  return fields;
}

/**
 * One buyer from the `buyer` object (current names, or city/state/zip) and the legacy flat
 * `buyerXxx` fields. The `buyer` object wins where both are given.
 */
export function normalizeBuyer(request: BuyerSource): Buyer {
  const nested = (request.buyer ?? {}) as BuyerSource;
  const buyer: Buyer = {};
  for (const [field, nestedNames, flatName] of BUYER_FIELDS) {
    const value = [...nestedNames.map((n) => nested[n]), request[flatName]].find((v) => v !== undefined && v !== '');
    if (value !== undefined) (buyer as Record<string, unknown>)[field] = value;
  }
  return buyer;
}
