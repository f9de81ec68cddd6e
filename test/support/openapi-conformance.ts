import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { DIALECTS } from '../../src/dialects/registry.js';
import { openApiDocument } from '../../src/http/openapi.js';
import { isHttpUrl } from '../../src/http/validate.js';

/**
 * A mocha root-hook plugin (.mocharc.json `require`): every answer a test receives through
 * `fetch` (ours, and the official Node SDK's) from a documented route of a local server is
 * validated against that dialect's OpenAPI document, the one `/openapi.json` serves. The run
 * fails at its end, listing each answer that did not validate.
 */

interface Operation {
  dialect: string;
  method: string;
  template: string;
  pattern: RegExp;
  parameters: number;
  pointer: string;
  statuses: Set<string>;
}

const ajv = new Ajv2020({ strict: false, allErrors: false, allowUnionTypes: true });
(addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
ajv.addFormat('http-url', { type: 'string', validate: isHttpUrl });

const escapePointer = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');

const operations: Operation[] = DIALECTS.flatMap((dialect) => {
  const document = openApiDocument(dialect.api, { serverUrl: 'http://127.0.0.1/', version: '0', prefix: dialect.name });
  ajv.addSchema(document, dialect.name);
  return Object.entries(document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      dialect: dialect.name,
      method: method.toUpperCase(),
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`, 'i'),
      parameters: (template.match(/\{/g) ?? []).length,
      pointer: `${dialect.name}#/paths/${escapePointer(template)}/${method}/responses`,
      statuses: new Set(Object.keys(operation.responses)),
    })),
  );
});

const validators = new Map<string, ValidateFunction>();
function validatorAt(pointer: string): ValidateFunction {
  let validate = validators.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: pointer });
    validators.set(pointer, validate);
  }
  return validate;
}

/** The documented operation a request is answered by: the most literal template that matches. */
function operationOf(method: string, path: string): Operation | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  return operations
    .filter((operation) => operation.method === method && operation.pattern.test(decoded))
    .sort((a, b) => a.parameters - b.parameters)[0];
}

const failures: string[] = [];
const checked = new Set<string>();
let answers = 0;

/**
 * What is wrong with an answer of a documented operation, null when nothing is: a success status
 * the document does not name, a body that is not JSON, or one its schema refuses.
 */
export function answerProblem(method: string, path: string, status: number, contentType: string | null, text: string): string | null {
  const operation = operationOf(method, path);
  if (!operation) return null;
  const key = `${operation.dialect} ${operation.method} ${operation.template}`;
  const success = status >= 200 && status < 300;
  if (success && !operation.statuses.has(String(status))) return `${key} answered ${status}, which its document does not name (${[...operation.statuses].join(', ')})`;
  if (text === '') return success ? null : `${key} answered ${status} with an empty body`;
  if (!/json/.test(contentType ?? '')) return `${key} answered ${status} with ${contentType}, not JSON`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${key} answered ${status} with a body that is not JSON: ${text.slice(0, 120)}`;
  }
  const validate = validatorAt(`${operation.pointer}/${success ? status : 'default'}/content/application~1json/schema`);
  if (validate(body)) return null;
  return `${key} → ${status}: ${ajv.errorsText(validate.errors?.slice(0, 3))}\n      ${text.slice(0, 300)}`;
}

async function check(operation: Operation, method: string, path: string, response: Response): Promise<void> {
  const problem = answerProblem(method, path, response.status, response.headers.get('content-type'), await response.text());
  if (problem) failures.push(problem);
  else checked.add(`${operation.dialect} ${operation.method} ${operation.template}`);
  answers += 1;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const originalFetch = globalThis.fetch;

globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const response = await originalFetch(input, init);
  try {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const operation = LOCAL_HOSTS.has(url.hostname) ? operationOf(method, url.pathname) : undefined;
    if (operation) await check(operation, method, url.pathname, response.clone());
  } catch (error) {
    failures.push(`could not check ${String(input)}: ${(error as Error).message}`);
  }
  return response;
};

export const mochaHooks = {
  afterAll(): void {
    const documented = operations.length;
    console.log(`\n  OpenAPI conformance: ${answers} answers checked, ${failures.length} refused; operations answered validly: ${checked.size} of ${documented}`);
    if (failures.length > 0) {
      throw new Error(`${failures.length} answers do not match the OpenAPI documents:\n  ${[...new Set(failures)].slice(0, 40).join('\n  ')}`);
    }
  },
};
