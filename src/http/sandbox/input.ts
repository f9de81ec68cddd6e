import { invalidParam } from '../../errors.js';
import { bodyOf, type AppContext } from '../context.js';

/**
 * The JSON body of a sandbox request, with only the fields that request takes: a misspelt
 * field (`{"amout": "0.1"}`) is refused, not ignored, so nothing happens that was not asked.
 */
export function sandboxBody(ctx: AppContext, ...fields: string[]): Record<string, unknown> {
  const body = bodyOf(ctx);
  const unknown = Object.keys(body).find((key) => !fields.includes(key));
  if (unknown !== undefined) {
    const takes = fields.length === 0 ? 'this request takes no fields' : `this request takes ${fields.join(', ')}`;
    throw invalidParam('request', `Unknown field ${unknown}: ${takes}`);
  }
  return body;
}

/** A query parameter given at most once; an empty one counts as absent. */
export function queryParam(ctx: AppContext, name: string): string | undefined {
  const value = ctx.query[name];
  if (Array.isArray(value)) throw invalidParam('request', `Invalid parameter ${name}: give it once`);
  return value === undefined || value === '' ? undefined : value;
}
