import { invalidParam } from '../../errors.js';
import { bodyOf, type AppContext } from '../context.js';

/**
 * The JSON body of a sandbox request, with only the fields that request takes: a misspelt
 * field (`{"amout": "0.1"}`) is refused, not ignored, so nothing happens that was not asked.
 */
export function sandboxBody(ctx: AppContext, ...fields: string[]): Record<string, unknown> {
  const raw = ctx.request.body;
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
    throw invalidParam('request', 'The body must be a JSON object');
  }
  const body = bodyOf(ctx);
  const unknown = Object.keys(body).find((key) => !fields.includes(key));
  if (unknown !== undefined) {
    const takes = fields.length === 0 ? 'this request takes no fields' : `this request takes ${fields.join(', ')}`;
    throw invalidParam('request', `Unknown field ${unknown}: ${takes}`);
  }
  return body;
}

/** Refuses query parameters the route does not take (a misspelt filter must not match everything). */
export function onlyQuery(ctx: AppContext, ...names: string[]): void {
  const unknown = Object.keys(ctx.query).find((name) => !names.includes(name));
  if (unknown !== undefined) {
    throw invalidParam('request', `Unknown parameter ${unknown}: ${names.length === 0 ? 'this request takes none' : `this request takes ${names.join(', ')}`}`);
  }
}

/** A whole number from a query parameter, or null when it is not one. */
export function wholeNumber(text: string): number | null {
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
}

/** A query parameter given at most once; an empty one counts as absent. */
export function queryParam(ctx: AppContext, name: string): string | undefined {
  const value = ctx.query[name];
  if (Array.isArray(value)) throw invalidParam('request', `Invalid parameter ${name}: give it once`);
  return value === undefined || value === '' ? undefined : value;
}
