import { readFileSync } from 'node:fs';
import { apiRequest, type ApiResponse } from './api.js';
import { expect } from 'chai';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const SEED = new URL('../../../shared/seeds/000_33d433049b3e8843.txt', import.meta.url);

type Schema = Record<string, unknown>;

/**
 * Seed 000 as JSON Schema: OpenAPI's `nullable` becomes "or null"; `allOf` parts are merged
 * (each part's `additionalProperties: false` would refuse the other part's fields); responses
 * may carry fields the seed does not list (real BTCPay returns more, DESIGN.md); the two types
 * the seed refers to but does not define are numbers (unix seconds, minutes).
 */
function asJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(asJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const { nullable, allOf, additionalProperties: _open, ...rest } = node as Schema;
  let schema: Schema = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, asJsonSchema(v)]));
  if (Array.isArray(allOf)) {
    const parts = allOf.map(asJsonSchema) as Schema[];
    const merged = parts.every((p) => p.$ref === undefined)
      ? { type: 'object', properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) }
      : { allOf: parts };
    schema = { ...schema, ...merged };
  }
  if (typeof schema.$ref === 'string') schema.$ref = schema.$ref.replace('#/components/schemas/', 'seed000#/$defs/');
  return nullable === true ? { anyOf: [{ type: 'null' }, schema] } : schema;
}

function seedValidators(): (name: string) => ValidateFunction {
  const openApi = JSON.parse(readFileSync(SEED, 'utf8')) as { components: { schemas: Record<string, unknown> } };
  const defs = asJsonSchema(openApi.components.schemas) as Schema;
  // InvoiceData is allOf [CreateInvoiceRequest, {…}]: merge the two by hand, as a $ref cannot be merged.
  const invoiceData = openApi.components.schemas.InvoiceData as { allOf: [unknown, Schema] };
  const created = asJsonSchema(openApi.components.schemas.CreateInvoiceRequest) as Schema;
  const own = asJsonSchema(invoiceData.allOf[1]) as Schema;
  defs.InvoiceData = { type: 'object', properties: { ...(created.properties as Schema), ...(own.properties as Schema) } };
  defs.UnixTimestamp = { type: 'integer', minimum: 0 };
  defs.TimeSpanMinutes = { type: 'number', minimum: 0 };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (ajv: Ajv2020) => void)(ajv);
  ajv.addFormat('decimal', /^-?\d+(\.\d+)?$/);
  ajv.addSchema({ $id: 'seed000', $defs: defs });
  return (name) => ajv.getSchema(`seed000#/$defs/${name}`) as ValidateFunction;
}

let validators: ((name: string) => ValidateFunction) | null = null;

/** Every operation of seed 000: method, path template and a pattern that matches its concrete paths. */
export function seedOperations(): { method: string; template: string; pattern: RegExp }[] {
  const openApi = JSON.parse(readFileSync(SEED, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(openApi.paths).flatMap(([template, operations]) =>
    Object.keys(operations)
      .filter((method) => ['get', 'post', 'put', 'delete', 'patch'].includes(method))
      .map((method) => ({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      })),
  );
}

/** Asserts that a response validates against the seed 000 schema `name` (e.g. "InvoiceData"). */
export function expectSeed000(name: string, value: unknown): void {
  validators ??= seedValidators();
  const validate = validators(name);
  expect(validate(value), `seed 000 ${name}: ${JSON.stringify(validate.errors)}`).to.equal(true);
}

export type GreenfieldResponse = ApiResponse;

/** A Greenfield call with `Authorization: token <key>` (or other headers), answering status and JSON. */
export function greenfield(base: string, method: string, path: string, options: { key?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<GreenfieldResponse> {
  return apiRequest(base, method, path, options.key ? `token ${options.key}` : undefined, options);
}
