/** Payout recipients and payouts: their statuses and the moves between them. No I/O here. */

export const RECIPIENT_STATUSES = ['invited', 'unverified', 'verified', 'active', 'paused', 'removed'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** The path an invited recipient walks to active when it accepts the invite. */
export const ACCEPTANCE_PATH: readonly RecipientStatus[] = ['invited', 'unverified', 'verified', 'active'];

/** The statuses after `status` on the acceptance path, in order (none once active or off the path). */
export function acceptanceSteps(status: RecipientStatus): RecipientStatus[] {
  const at = ACCEPTANCE_PATH.indexOf(status);
  return at < 0 ? [] : ACCEPTANCE_PATH.slice(at + 1);
}

export const PAYOUT_STATUSES = ['new', 'funded', 'processing', 'complete', 'failed', 'cancelled'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** Which moves a payout may make: funded from the ledger, sent on chain, confirmed; cancelled before it is sent; failed until it completes. */
const PAYOUT_MOVES: Record<PayoutStatus, readonly PayoutStatus[]> = {
  new: ['funded', 'cancelled', 'failed'],
  funded: ['processing', 'cancelled', 'failed'],
  processing: ['complete', 'failed'],
  complete: [],
  failed: [],
  cancelled: [],
};

export function canMovePayout(from: PayoutStatus, to: PayoutStatus): boolean {
  return PAYOUT_MOVES[from].includes(to);
}

/** Whether a payout in this status holds money taken from the ledger (returned if it does not complete). */
export function holdsLedgerMoney(status: PayoutStatus): boolean {
  return status === 'funded' || status === 'processing';
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * BitPay executes pending payouts in batches, twice a day at 2 pm and 9 pm UTC (its SDKs' Payout
 * model: "funded … happens at the daily cutoff time for payout processing, e.g. 2pm and 9pm UTC").
 */
export const PAYOUT_CUTOFF_HOURS_UTC: readonly number[] = [14, 21];

/** The first payout cut-off at or after `ms` (epoch milliseconds). */
export function nextPayoutCutoff(ms: number): number {
  const midnight = Math.floor(ms / DAY_MS) * DAY_MS;
  for (const day of [midnight, midnight + DAY_MS]) {
    for (const hour of PAYOUT_CUTOFF_HOURS_UTC) if (day + hour * HOUR_MS >= ms) return day + hour * HOUR_MS;
  }
  throw new Error('unreachable: a cut-off falls within every 24 hours');
}
