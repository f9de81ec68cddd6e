/** Query-string conventions (date ranges, flags) shared by the resources that use them; BitPay's API set them. */

const DAY_MS = 86_400_000;

/**
 * A date or date-time as the SDKs write them: `2026-11-21` (or PHP's `2026-5-1`: a UTC day),
 * ISO 8601, Python's `…00.00Z` and `…000000+0Z`, or epoch milliseconds. null when unreadable.
 */
export function parseInstant(text: string | number): { ms: number; dateOnly: boolean } | null {
  if (typeof text === 'number') return Number.isSafeInteger(text) ? { ms: text, dateOnly: false } : null;
  const day = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (day) {
    const ms = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    const back = new Date(ms);
    return back.getUTCDate() === Number(day[3]) && back.getUTCMonth() === Number(day[2]) - 1 ? { ms, dateOnly: true } : null;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
  const normalised = text.replace(/\+0Z$/, 'Z').replace(/\.(\d{1,9})(?=Z|[+-]\d\d:?\d\d$)/, (_, digits: string) => `.${digits.padEnd(3, '0').slice(0, 3)}`);
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? null : { ms, dateOnly: false };
}

/**
 * `dateStart`/`dateEnd` as a half-open time range. A plain date covers the whole UTC day, so
 * `dateEnd=2026-11-21` includes invoices made that day; a date-time is taken as is.
 */
export function dateRange(dateStart: string, dateEnd: string): { from: number; to: number } | null {
  const from = parseInstant(dateStart);
  const end = parseInstant(dateEnd);
  if (!from || !end) return null;
  const to = end.dateOnly ? end.ms + DAY_MS : end.ms + 1;
  return to > from.ms ? { from: from.ms, to } : null;
}

/** SDKs send forceCancel as true (Node), 1 (PHP) or True/False (Python). null when unreadable. */
export function parseFlag(value: string | undefined): boolean | null {
  if (value === undefined || value === '') return false;
  if (['true', 'True', 'TRUE', '1'].includes(value)) return true;
  if (['false', 'False', 'FALSE', '0'].includes(value)) return false;
  return null;
}
