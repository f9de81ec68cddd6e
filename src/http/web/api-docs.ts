import { readFileSync } from 'node:fs';
import Router from '@koa/router';
import type { Dialect } from '../../dialects/dialect.js';
import { notFound } from '../../errors.js';
import { requestBaseUrl, type AppContext, type AppState } from '../context.js';
import { mergedDocument, openApiDocument, type SchemaObject } from '../openapi.js';
import { escapeHtml, html, trusted, type SafeHtml } from './html.js';
import { page } from './layout.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface Operation {
  summary: string;
  description?: string;
  security: Record<string, unknown>[];
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { content: { 'application/json': { schema: SchemaObject } } };
  responses: Record<string, { description: string; content?: { 'application/json': { schema: SchemaObject } } }>;
  tags: string[];
}

/**
 * The OpenAPI documents of the served dialects (`/openapi.json`: all of them, one tag group each;
 * `/openapi/<dialect>.json`: one) and `/docs`, a page that reads them.
 */
export function apiDocsRoutes(publicUrl: string | null, dialects: readonly Dialect[]): Router<AppState> {
  const router = new Router<AppState>();
  const documents = new Map<string, SchemaObject>();
  const documentOf = (dialect: Dialect, serverUrl: string) => {
    let document = documents.get(dialect.name);
    if (!document) {
      document = openApiDocument(dialect.api, { serverUrl: '/', version: VERSION, prefix: dialect.name });
      documents.set(dialect.name, document);
    }
    return { ...document, servers: [{ url: serverUrl }] };
  };
  const serverUrlOf = (ctx: AppContext) => requestBaseUrl(ctx, publicUrl).replace(/\/$/, '');
  const everything = (ctx: AppContext) =>
    mergedDocument(
      dialects.map((dialect) => documentOf(dialect, serverUrlOf(ctx))),
      { title: 'BitPay Emulator: every served API', version: VERSION, description: `The APIs this emulator serves: ${dialects.map((d) => d.api.title).join('; ')}. Tags are prefixed with the dialect.` },
    );

  router.get('/openapi.json', (ctx) => {
    ctx.body = everything(ctx);
  });
  router.get('/openapi/:file', (ctx) => {
    const name = (ctx.params.file as string).replace(/\.json$/i, '');
    const dialect = dialects.find((d) => d.name === name.toLowerCase());
    if (!dialect) throw notFound('request', `No OpenAPI document ${ctx.params.file}: the served dialects are ${dialects.map((d) => `${d.name}.json`).join(', ')}`);
    ctx.body = documentOf(dialect, serverUrlOf(ctx));
  });
  router.get('/docs', (ctx) => {
    ctx.type = 'html';
    ctx.body = page({ title: 'API reference · BitPay Emulator', nav: true, body: docsPage(dialects.map((dialect) => ({ dialect, document: documentOf(dialect, serverUrlOf(ctx)) }))) });
  });
  return router;
}

/** A schema as indented JSON, its references linked to the schemas they name. */
function schemaBlock(schema: unknown): SafeHtml {
  const text = escapeHtml(JSON.stringify(schema, null, 2));
  return trusted(`<pre>${text.replace(/&quot;#\/components\/schemas\/([^/&]+)([^&]*)&quot;/g, (_, name: string, rest: string) => `&quot;<a href="#schema-${name}">${name}</a>${rest}&quot;`)}</pre>`);
}

/** A description's `code spans` as code; everything else as text. */
function prose(text: string): SafeHtml {
  return html`${text.split('`').map((part, i) => (i % 2 ? html`<code>${part}</code>` : part))}`;
}

const METHOD_COLOURS: Record<string, string> = { get: '#1a56db', post: '#17723a', put: '#8a5a00', patch: '#8a5a00', delete: '#a61b1b' };

function operationEntry(path: string, method: string, operation: Operation): SafeHtml {
  const schemes = operation.security.flatMap((entry) => Object.keys(entry).map((name) => name.replace(/^[^.]+\./, '')));
  const body = operation.requestBody?.content['application/json'].schema;
  return html`<details class="operation" data-testid="operation" data-operation="${method.toUpperCase()} ${path}">
    <summary><span class="method" style="background:${METHOD_COLOURS[method] ?? '#5a6478'}">${method.toUpperCase()}</span> <code>${path}</code> <span class="muted">${prose(operation.summary)}</span></summary>
    ${operation.description ? html`<p>${prose(operation.description)}</p>` : ''}
    <p><strong>Authentication:</strong> ${schemes.length ? schemes.join(' or ') : 'none (public)'}</p>
    ${operation.parameters.length ? html`<p><strong>Parameters:</strong> ${operation.parameters.map((p, i) => html`${i ? ', ' : ''}<code>${p.name}</code> <span class="muted">(${p.in}${p.required ? ', required' : ''})</span>`)}</p>` : ''}
    ${body ? html`<p><strong>Request body</strong></p>${schemaBlock(body)}` : ''}
    ${Object.entries(operation.responses).map(
      ([status, response]) => html`<p><strong>${status === 'default' ? 'Errors' : status}</strong> <span class="muted">${response.description}</span></p>${response.content ? schemaBlock(response.content['application/json'].schema) : ''}`,
    )}
  </details>`;
}

function dialectSection(dialect: Dialect, document: SchemaObject): SafeHtml {
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const tags = document.tags as { name: string; description: string }[];
  const schemas = (document.components as { schemas: Record<string, SchemaObject> }).schemas;
  return html`<section id="${dialect.name}" data-testid="dialect">
    <h2>${dialect.api.title}</h2>
    <p>${prose(dialect.api.description)}</p>
    <p><a href="/openapi/${dialect.name}.json">/openapi/${dialect.name}.json</a></p>
    ${tags.map(
      (tag) => html`<div class="card"><h3 style="margin-top:0">${tag.name.replace(/^[^:]+: /, '')}</h3><p class="muted">${prose(tag.description)}</p>
        ${Object.entries(paths).flatMap(([path, methods]) =>
          Object.entries(methods)
            .filter(([, operation]) => operation.tags.includes(tag.name))
            .map(([method, operation]) => operationEntry(path, method, operation)),
        )}</div>`,
    )}
    <div class="card"><h3 style="margin-top:0">Schemas</h3>
      ${Object.entries(schemas).map(([name, schema]) => html`<details id="schema-${name}"><summary><code>${name}</code></summary>${schemaBlock(schema)}</details>`)}
    </div>
  </section>`;
}

function docsPage(served: { dialect: Dialect; document: SchemaObject }[]): SafeHtml {
  return html`<style>.operation{border-top:1px solid #eef1f6;padding:6px 0}.operation summary{cursor:pointer;overflow-wrap:anywhere}.method{display:inline-block;min-width:58px;text-align:center;color:#fff;border-radius:6px;padding:1px 6px;font:600 12px ui-monospace,monospace}</style>
    <div class="card"><h1 style="margin-top:0">API reference</h1>
      <p>Every route of the served APIs, with the JSON Schemas the server validates requests with and its answers are tested against. Machine-readable: <a href="/openapi.json">/openapi.json</a> (all), or one per API.</p>
      <p>${served.map(({ dialect }, i) => html`${i ? ' · ' : ''}<a href="#${dialect.name}">${dialect.api.title}</a>`)}</p></div>
    ${served.map(({ dialect, document }) => dialectSection(dialect, document))}`;
}
