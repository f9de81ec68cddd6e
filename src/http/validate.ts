import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Next } from 'koa';
import { invalidField, invalidParam, type ErrorSubject } from '../errors.js';
import type { AppContext } from './context.js';

const SCHEMAS_DIR = new URL('../../schemas/', import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const HOST_NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/i;

/**
 * `format: "http-url"`: an absolute http:// or https:// URL that can be sent to: a host right
 * after the `//` (not `http:///x`, which parsers read as host x), a usable host name, and a
 * port from 1 to 65535.
 */
export function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\/[^/\\\s?#]/i.test(text)) return false;
  try {
    const url = new URL(text);
    return HOST_NAME.test(url.hostname) && url.port !== '0';
  } catch {
    return false;
  }
}

/** Every JSON Schema under schemas/ (at any depth), registered under its $id (e.g. "requests/invoice-create"). */
function loadSchemas(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addFormat('http-url', { type: 'string', validate: isHttpUrl });
  for (const entry of readdirSync(SCHEMAS_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    ajv.addSchema(JSON.parse(readFileSync(`${entry.parentPath}/${entry.name}`, 'utf8')));
  }
  return ajv;
}

export const schemas = loadSchemas();
const compiled = new Map<string, ValidateFunction>();

function validatorFor(id: string): ValidateFunction {
  let validate = compiled.get(id);
  if (!validate) {
    validate = schemas.getSchema(id);
    if (!validate) throw new Error(`no schema ${id}`);
    compiled.set(id, validate);
  }
  return validate;
}

function fieldName(path: string): string {
  return path.replace(/^\//, '').replace(/\//g, '.');
}

/** What is wrong with the field an ajv error is about, in words. */
function problemOf(error: ErrorObject, field: string): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `must be ${/^[aeiou]/.test(String(params.type)) ? 'an' : 'a'} ${params.type}`;
    case 'maxLength':
      return `must be at most ${params.limit} characters`;
    case 'maxItems':
      return `must have at most ${params.limit} items`;
    case 'exclusiveMinimum':
      return `must be greater than ${params.limit}`;
    case 'minimum':
    case 'maximum':
      return `must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${params.limit}`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'format':
    case 'pattern':
    case 'anyOf':
      return formatHint(field);
    case 'additionalProperties':
      return `is not a field of this request (${String(params.additionalProperty)})`;
    default:
      return error.message ?? 'not valid';
  }
}

function formatHint(field: string): string {
  if (/url$/i.test(field)) return 'must be an absolute http:// or https:// URL';
  if (/email|emailAddress/i.test(field)) return 'must be an e-mail address';
  if (/^date/.test(field)) return 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time';
  if (field === 'currency' || /Currenc/.test(field)) return 'must be an upper-case currency code such as USD';
  if (field === 'limit' || field === 'offset') return 'must be a non-negative integer';
  if (field === 'amount') return 'must be a positive decimal number such as "10.50"';
  return 'has the wrong format';
}

/** A string PostgreSQL cannot store: a NUL character, or a lone UTF-16 surrogate (not Unicode). */
export function unstorable(text: string): boolean {
  return text.includes('\u0000') || !text.isWellFormed();
}

/** Deeper than this, a request body is refused: no field of any resource nests so far. */
export const MAX_BODY_DEPTH = 32;

/**
 * What no route may receive: the path of the first string (or key) PostgreSQL cannot store,
 * or the top-level field under which a value nests deeper than MAX_BODY_DEPTH. Walks with its own stack, so no
 * depth of nesting can overflow the call stack.
 */
export function findUnacceptable(value: unknown): { path: string; problem: string } | null {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value: current, path, depth } = item;
    if (typeof current === 'string') {
      if (unstorable(current)) return { path, problem: 'contains a NUL character or invalid Unicode' };
      continue;
    }
    if (!current || typeof current !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return { path: path.split('/').slice(0, 2).join('/'), problem: `is nested more than ${MAX_BODY_DEPTH} levels deep` };
    const entries = Array.isArray(current) ? current.map((v, i) => [String(i), v] as const) : Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as readonly [string, unknown];
      if (unstorable(key)) return { path: `${path}/${key}`, problem: 'contains a NUL character or invalid Unicode' };
      pending.push({ value: child, path: `${path}/${key}`, depth: depth + 1 });
    }
  }
  return null;
}

/** JSON `null` means "not given" (the Java and older SDKs send nulls for unset fields). */
function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

/**
 * Validates a request body or query against a schema under schemas/ and returns it typed, or
 * throws BitPay's coded error naming the field: xx..03 when missing, xx..02 when invalid.
 */
export function validated<T>(schemaId: string, resource: ErrorSubject, input: Record<string, unknown>): T {
  const value = withoutNulls(input);
  const validate = validatorFor(schemaId);
  if (!validate(value)) throw fieldError((validate.errors as ErrorObject[])[0] as ErrorObject, resource);
  return value as T;
}

/** The first ajv error as the engine's error about that field. */
function fieldError(error: ErrorObject, resource: ErrorSubject) {
  if (error.keyword === 'required') {
    const missing = fieldName(`${error.instancePath}/${(error.params as { missingProperty: string }).missingProperty}`);
    return invalidField(resource, missing, 'is required', 'missing');
  }
  if (error.keyword === 'additionalProperties') {
    const extra = fieldName(`${error.instancePath}/${(error.params as { additionalProperty: string }).additionalProperty}`);
    return invalidField(resource, extra, 'is not a field of this request');
  }
  const field = fieldName(error.instancePath);
  return invalidField(resource, field, problemOf(error, field));
}

/**
 * Validates a body as it is, nulls included (for dialects where null is a value the schema
 * speaks of), and returns it typed, or throws the engine's error about the first bad field.
 */
export function validatedAsIs<T>(schemaId: string, resource: ErrorSubject, input: unknown): T {
  const validate = validatorFor(schemaId);
  if (!validate(input)) throw fieldError((validate.errors as ErrorObject[])[0] as ErrorObject, resource);
  return input as T;
}

/**
 * Refuses a request whose path or query carries what no stored value can (a NUL, invalid
 * Unicode, a broken %-escape), before any route passes it to the database.
 */
export async function refuseUnstorableUrl(ctx: AppContext, next: Next): Promise<void> {
  let path: string;
  try {
    path = decodeURIComponent(ctx.path);
  } catch {
    throw invalidParam('request', 'Invalid URL: the path has a broken %-escape');
  }
  if (unstorable(path)) throw invalidParam('request', 'Invalid URL: the path contains a NUL character or invalid Unicode');
  for (const [name, value] of Object.entries(ctx.query)) {
    if ([name, ...([] as unknown[]).concat(value)].some((v) => typeof v === 'string' && unstorable(v))) {
      throw invalidParam('request', `Invalid parameter ${name}: contains a NUL character or invalid Unicode`);
    }
  }
  await next();
}

/** The subject a path addresses, for errors raised before a route has run (`/invoices/…` → invoice). */
export function subjectOfPath(path: string): ErrorSubject {
  const first = /^\/([^/]*)/.exec(path)?.[1]?.toLowerCase();
  if (first === 'invoices') return 'invoice';
  if (first === 'refunds') return 'refund';
  return 'request';
}

/**
 * Refuses a request body that carries what no stored value can, or that nests absurdly deep,
 * before any route sees it: every route, validated or not, gets only storable bodies. The
 * error names the field, in the code of the resource the path addresses.
 */
export async function refuseUnacceptableBody(ctx: AppContext, next: Next): Promise<void> {
  const bad = findUnacceptable(ctx.request.body);
  if (bad !== null) {
    const field = bad.path === '' ? 'body' : fieldName(bad.path);
    throw invalidParam(subjectOfPath(ctx.path), `Invalid parameter ${field}: ${bad.problem}`);
  }
  await next();
}
