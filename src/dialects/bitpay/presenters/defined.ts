/** Drops the undefined fields: BitPay leaves out what an object does not have. */
export function definedOnly<T extends Record<string, unknown>>(object: T): T {
  const defined: Record<string, unknown> = {};
  for (const key in object) if (object[key] !== undefined) defined[key] = object[key];
  return defined as T;
}
