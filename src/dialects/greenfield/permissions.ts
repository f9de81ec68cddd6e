/** BTCPay Server's API key permissions: policy strings, optionally scoped to one store (`policy:storeId`). */

export const UNRESTRICTED = 'unrestricted';

export const STORE_POLICIES = [
  'btcpay.store.canmodifystoresettings',
  'btcpay.store.canviewstoresettings',
  'btcpay.store.canmodifyinvoices',
  'btcpay.store.canviewinvoices',
  'btcpay.store.cancreateinvoice',
  'btcpay.store.webhooks.canmodifywebhooks',
] as const;
export type StorePolicy = (typeof STORE_POLICIES)[number];

/** Policies a key may hold: the store policies, unrestricted, and the user and server policies clients ask for. */
const KNOWN_POLICIES = new Set<string>([
  UNRESTRICTED,
  ...STORE_POLICIES,
  'btcpay.user.canviewprofile',
  'btcpay.user.canmodifyprofile',
  'btcpay.server.canviewprofile',
  'btcpay.server.canmodifyserversettings',
]);

/** What each policy includes besides itself (BTCPay's permission hierarchy). */
const INCLUDES: Partial<Record<string, StorePolicy[]>> = {
  'btcpay.store.canmodifystoresettings': ['btcpay.store.canviewstoresettings', 'btcpay.store.canmodifyinvoices', 'btcpay.store.webhooks.canmodifywebhooks'],
  'btcpay.store.canviewstoresettings': ['btcpay.store.canviewinvoices'],
  'btcpay.store.canmodifyinvoices': ['btcpay.store.canviewinvoices', 'btcpay.store.cancreateinvoice'],
};

export interface Permission {
  policy: string;
  /** null: every store of the user */
  storeId: string | null;
}

export function parsePermission(text: string): Permission {
  const colon = text.indexOf(':');
  return colon < 0 ? { policy: text, storeId: null } : { policy: text.slice(0, colon), storeId: text.slice(colon + 1) };
}

/** The first permission string that is not a known policy (or not a store policy yet scoped to a store), or null. */
export function unknownPermission(permissions: readonly string[]): string | null {
  for (const text of permissions) {
    const { policy, storeId } = parsePermission(text);
    if (!KNOWN_POLICIES.has(policy) || storeId === '' || (storeId !== null && !(STORE_POLICIES as readonly string[]).includes(policy))) return text;
  }
  return null;
}

function expand(policy: string): Set<string> {
  const all = new Set<string>([policy]);
  for (const included of INCLUDES[policy] ?? []) for (const more of expand(included)) all.add(more);
  return all;
}

/** Whether the permissions grant `policy` on the store (null: on every store, unscoped). */
export function grants(permissions: readonly string[], policy: StorePolicy, storeId: string | null): boolean {
  return permissions.some((text) => {
    const held = parsePermission(text);
    if (held.policy === UNRESTRICTED) return true;
    if (!expand(held.policy).has(policy)) return false;
    return held.storeId === null || held.storeId === storeId;
  });
}

/** The stores a key sees: every store, or those its scoped permissions name. */
export function visibleStores(permissions: readonly string[]): 'all' | Set<string> {
  const scoped = new Set<string>();
  for (const text of permissions) {
    const held = parsePermission(text);
    if (held.policy === UNRESTRICTED) return 'all';
    if (!(STORE_POLICIES as readonly string[]).includes(held.policy)) continue;
    if (held.storeId === null) return 'all';
    scoped.add(held.storeId);
  }
  return scoped;
}

/** Every store policy scoped to one store: what a sandbox key gets by default. */
export function everyStorePermission(storeId: string): string[] {
  return STORE_POLICIES.map((policy) => `${policy}:${storeId}`);
}
