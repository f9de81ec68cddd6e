export const FACADES = ['pos', 'merchant', 'payout'] as const;
export type Facade = (typeof FACADES)[number];

export function isFacade(value: unknown): value is Facade {
  return typeof value === 'string' && (FACADES as readonly string[]).includes(value);
}

/** merchant and payout tokens always sign; a pos token signs only when made with "require authentication". */
export function facadeAlwaysRequiresAuth(facade: Facade): boolean {
  return facade !== 'pos';
}
