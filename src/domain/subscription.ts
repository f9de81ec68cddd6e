/** Subscriptions: bills sent again and again on a schedule. No I/O here. */

export const SUBSCRIPTION_STATUSES = ['draft', 'active', 'cancelled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const SUBSCRIPTION_SCHEDULES = ['weekly', 'monthly', 'quarterly', 'yearly'] as const;
export type SubscriptionSchedule = (typeof SUBSCRIPTION_SCHEDULES)[number];

const MONTHS: Record<Exclude<SubscriptionSchedule, 'weekly'>, number> = { monthly: 1, quarterly: 3, yearly: 12 };

/**
 * The delivery after `from` (UTC): a week later, or the same day of the month 1, 3 or 12 months
 * later, on the month's last day when it is shorter (31 January → 28 or 29 February).
 */
export function nextDeliveryAfter(from: number, schedule: SubscriptionSchedule): number {
  if (schedule === 'weekly') return from + 7 * 86_400_000;
  const date = new Date(from);
  const months = date.getUTCMonth() + MONTHS[schedule];
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), months + 1, 0)).getUTCDate();
  return Date.UTC(date.getUTCFullYear(), months, Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
}
