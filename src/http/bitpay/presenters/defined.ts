/** Drops the undefined fields: BitPay leaves out what an object does not have. */
export function definedOnly<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}
