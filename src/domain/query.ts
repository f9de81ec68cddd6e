/** Query-string conventions (date ranges, flags) shared by the resources that use them; BitPay's API set them. */

const DAY_MS = 86_400_000;

/**
 * `dateStart`/`dateEnd` as a half-open time range. A plain date covers the whole UTC day, so
 * `dateEnd=2026-11-21` includes invoices made that day; a date-time is taken as is.
 */
export function dateRange(dateStart: string, dateEnd: string): { from: number; to: number } | null {
  const from = Date.parse(dateStart.length === 10 ? `${dateStart}T00:00:00Z` : dateStart);
  const end = Date.parse(dateEnd.length === 10 ? `${dateEnd}T00:00:00Z` : dateEnd);
  if (Number.isNaN(from) || Number.isNaN(end)) return null;
  const to = dateEnd.length === 10 ? end + DAY_MS : end + 1;
  return to > from ? { from, to } : null;
}

/** SDKs send forceCancel as true (Node), 1 (PHP) or True/False (Python). null when unreadable. */
export function parseFlag(value: string | undefined): boolean | null {
  if (value === undefined || value === '') return false;
  if (['true', 'True', 'TRUE', '1'].includes(value)) return true;
  if (['false', 'False', 'FALSE', '0'].includes(value)) return false;
  return null;
}
