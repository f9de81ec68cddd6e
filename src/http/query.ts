import { invalidField } from '../errors.js';
import type { AppContext } from './context.js';

/** Every value of a repeatable query parameter (`status=New&status=Expired`), empty ones left out. */
export function queryValues(ctx: AppContext, name: string): string[] {
  const raw = ctx.query[name];
  return ([] as (string | undefined)[]).concat(raw).filter((v): v is string => v !== undefined && v !== '');
}

/** A query parameter given at most once. */
function queryValue(ctx: AppContext, name: string): string | undefined {
  const values = queryValues(ctx, name);
  if (values.length > 1) throw invalidField('request', name, 'give it once');
  return values[0];
}

/** A whole number from the query, within bounds; undefined when absent. */
export function queryInteger(ctx: AppContext, name: string, min: number, max: number): number | undefined {
  const text = queryValue(ctx, name);
  if (text === undefined) return undefined;
  if (!/^-?\d{1,15}$/.test(text) || Number(text) < min || Number(text) > max) throw invalidField('request', name, `must be a whole number from ${min} to ${max}`);
  return Number(text);
}

/** true/false from the query; undefined when absent. */
export function queryBoolean(ctx: AppContext, name: string): boolean | undefined {
  const text = queryValue(ctx, name);
  if (text === undefined) return undefined;
  if (/^(true|1)$/i.test(text)) return true;
  if (/^(false|0)$/i.test(text)) return false;
  throw invalidField('request', name, 'must be true or false');
}

/** Refuses query parameters a route does not take: a misspelt filter must not match everything. */
export function onlyQueryParams(ctx: AppContext, names: readonly string[]): void {
  const unknown = Object.keys(ctx.query).find((name) => !names.includes(name));
  if (unknown !== undefined) throw invalidField('request', unknown, `is not a parameter of this request (it takes ${names.join(', ') || 'none'})`);
}
