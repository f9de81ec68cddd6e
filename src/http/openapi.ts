import { schemas } from './validate.js';

/** A JSON Schema object, as written in schemas/ or inline in an API description. */
export type SchemaObject = Record<string, unknown>;

const SCHEMA_REF = 'schema:';

/** A reference to a schema under schemas/ by its $id (e.g. "resources/invoice"); the document embeds it once under components. */
export function ref(id: string): SchemaObject {
  return { $ref: `${SCHEMA_REF}${id}` };
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One route of a dialect, as its OpenAPI operation. */
export interface ApiOperation {
  method: HttpMethod;
  /** The route's path as the router has it (`/invoices/:id`). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** The security schemes that admit a caller (any one of them); none: a public route. */
  security?: string[];
  /** The schema the query string is validated with, one parameter per property. */
  query?: string;
  /** The schema the request body is validated with. */
  body?: string;
  /** The answers when it succeeds, by HTTP status; null: no body. */
  responses: Record<number, SchemaObject | null>;
}

/** How a dialect describes its API: the source of its OpenAPI document. */
export interface ApiDescription {
  title: string;
  description: string;
  /** OpenAPI security schemes by name; operations name the ones that admit a caller. */
  securitySchemes: Record<string, SchemaObject>;
  /** Every error answer's body, whatever the status. */
  error: SchemaObject;
  tags: { name: string; description: string }[];
  operations: ApiOperation[];
}

/** `/invoices/:id` → `/invoices/{id}`, and the names of its parameters. */
function openApiPath(path: string): { path: string; parameters: string[] } {
  const parameters: string[] = [];
  const converted = path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    parameters.push(name);
    return `{${name}}`;
  });
  return { path: converted, parameters };
}

/** The component key a schema $id is embedded under ("resources/invoice" → "resources.invoice"). */
function componentName(id: string): string {
  return id.replace(/\//g, '.');
}

/**
 * Where a `$ref` of a schema points in the document: `schema:<id>` (an API description's), a
 * reference relative to the schema it is in (`#/$defs/text`, `decimal`, `decimal#/$defs/x`).
 */
function componentRef(target: string, embed: (id: string) => void, within: string | undefined): string {
  if (target.startsWith(SCHEMA_REF)) {
    const id = target.slice(SCHEMA_REF.length);
    embed(id);
    return `#/components/schemas/${componentName(id)}`;
  }
  if (within === undefined || /^[a-z][a-z0-9+.-]*:/i.test(target)) return target;
  const [path = '', fragment = ''] = target.split('#');
  const id = path === '' ? within : new URL(path, `schema:/${within}`).pathname.slice(1);
  embed(id);
  return `#/components/schemas/${componentName(id)}${fragment}`;
}

/**
 * A copy of `value` in which every `$ref` points at its place among the document's components;
 * `embed` is told each schema id met.
 */
function resolveRefs(value: unknown, embed: (id: string) => void, within?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveRefs(item, embed, within));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '$id') continue;
    if (key === '$ref' && typeof child === 'string') {
      out.$ref = componentRef(child, embed, within);
      continue;
    }
    out[key] = resolveRefs(child, embed, within);
  }
  return out;
}

function schemaSource(id: string): SchemaObject {
  const schema = schemas.getSchema(id)?.schema;
  if (!schema || typeof schema !== 'object') throw new Error(`no schema ${id}`);
  return schema as SchemaObject;
}

/** One parameter per property of a query schema, with that property's schema. */
function queryParameters(id: string, embed: (id: string) => void): SchemaObject[] {
  embed(id);
  const schema = schemaSource(id);
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries((schema.properties ?? {}) as Record<string, SchemaObject>).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: resolveRefs(property, embed, id),
  }));
}

/** A dialect's API as an OpenAPI 3.1 document; `prefix` names its tags and security schemes apart from other dialects'. */
export function openApiDocument(api: ApiDescription, options: { serverUrl: string; version: string; prefix: string }): SchemaObject {
  const components: Record<string, unknown> = {};
  const embed = (id: string) => {
    const name = componentName(id);
    if (name in components) return;
    components[name] = null;
    components[name] = resolveRefs(schemaSource(id), embed, id);
  };
  const scheme = (name: string) => `${options.prefix}.${name}`;
  const tag = (name: string) => `${options.prefix}: ${name}`;
  const errorBody = { description: 'The error, in this API’s own shape', content: { 'application/json': { schema: resolveRefs(api.error, embed) } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of api.operations) {
    const { path, parameters } = openApiPath(operation.path);
    const responses: Record<string, unknown> = { default: errorBody };
    for (const [status, body] of Object.entries(operation.responses)) {
      responses[status] = body === null ? { description: 'No body' } : { description: 'Success', content: { 'application/json': { schema: resolveRefs(body, embed) } } };
    }
    const entry: Record<string, unknown> = {
      tags: [tag(operation.tag)],
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      operationId: `${options.prefix}.${operation.method}${path.replace(/[^A-Za-z0-9]+/g, '_')}`,
      security: (operation.security ?? []).map((name) => ({ [scheme(name)]: [] })),
      parameters: [
        ...parameters.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...(operation.query ? queryParameters(operation.query, embed) : []),
      ],
      ...(operation.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: resolveRefs(ref(operation.body), embed) } } } }
        : {}),
      responses,
    };
    (paths[path] ??= {})[operation.method] = entry;
  }
  return {
    openapi: '3.1.0',
    info: { title: api.title, version: options.version, description: api.description },
    servers: [{ url: options.serverUrl }],
    tags: api.tags.map((t) => ({ name: tag(t.name), description: t.description })),
    paths,
    components: {
      securitySchemes: Object.fromEntries(Object.entries(api.securitySchemes).map(([name, s]) => [scheme(name), s])),
      schemas: components,
    },
  };
}

/** Several dialects' documents as one: their paths, tags and components side by side (none overlaps). */
export function mergedDocument(documents: SchemaObject[], info: SchemaObject): SchemaObject {
  const merged = { openapi: '3.1.0', info, servers: documents[0]?.servers ?? [], tags: [] as unknown[], paths: {}, components: { securitySchemes: {}, schemas: {} } };
  for (const document of documents) {
    merged.tags.push(...(document.tags as unknown[]));
    Object.assign(merged.paths, document.paths);
    const components = document.components as { securitySchemes: object; schemas: object };
    Object.assign(merged.components.securitySchemes, components.securitySchemes);
    Object.assign(merged.components.schemas, components.schemas);
  }
  return merged;
}
