import { dateRange } from '../../domain/query.js';
import { invalidParam, type ErrorSubject } from '../../errors.js';
import type { AppContext } from '../../http/context.js';

/** The query string without empty parameters (SDKs send `status=` when none is given). */
export function queryOf(ctx: AppContext): Record<string, unknown> {
  return Object.fromEntries(Object.entries(ctx.query).filter(([, value]) => value !== ''));
}

/** An optional `startDate`/`endDate` pair as a time range (either end may be left open); `{}` when neither is given. */
export function optionalDateRange(startDate: string | undefined, endDate: string | undefined, subject: ErrorSubject): { from?: number; to?: number } {
  if (startDate === undefined && endDate === undefined) return {};
  const range = dateRange(startDate ?? '1970-01-01', endDate ?? '9999-12-31');
  if (!range) {
    throw invalidParam(subject, 'Invalid parameters startDate, endDate: each must be a date (YYYY-MM-DD) or an ISO 8601 date-time, and endDate must not be before startDate');
  }
  return range;
}
