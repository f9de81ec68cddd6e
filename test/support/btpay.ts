import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiRequest, type ApiResponse } from './api.js';

export type BtpayResponse = ApiResponse;

/** A request to seed 001's API under `/api/v1/`, with a Bearer key. */
export function btpay(base: string, method: string, path: string, options: { key?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<BtpayResponse> {
  return apiRequest(base, method, path, options.key ? `Bearer ${options.key}` : undefined, options);
}

export const SEED_001 = new URL('../../../shared/seeds/001_a45c461d8e537fcf.txt', import.meta.url);

/** The seed's own Python `verify_webhook`, as printed in it (null when the seed is absent). */
export function seedVerifyRecipe(): string | null {
  if (!existsSync(SEED_001)) return null;
  const text = readFileSync(SEED_001, 'utf8');
  const start = text.indexOf('import hmac');
  const end = text.indexOf('return hmac.compare_digest(expected, signature)');
  if (start < 0 || end < 0) throw new Error('seed 001 no longer prints its verify_webhook recipe');
  const lines = text.slice(start, end + 'return hmac.compare_digest(expected, signature)'.length).split('\n');
  // The seed's text lost the recipe's indentation: put back the function body's.
  let inDef = false;
  return lines
    .map((line) => {
      if (line.startsWith('def ')) {
        inDef = true;
        return line;
      }
      return inDef ? `    ${line}` : line;
    })
    .join('\n');
}

/** Runs the seed's recipe with python3 on the exact body bytes: "True" or "False". */
export function verifyWithSeedRecipe(recipe: string, body: string, signature: string, secret: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'btpay-verify-'));
  writeFileSync(join(dir, 'body.bin'), body, 'utf8');
  writeFileSync(
    join(dir, 'verify.py'),
    `${recipe}\n\nimport sys\nwith open(sys.argv[1], 'rb') as f:\n    print(verify_webhook(f.read(), sys.argv[2], sys.argv[3]))\n`,
  );
  return new Promise((resolve, reject) => {
    execFile('python3', [join(dir, 'verify.py'), join(dir, 'body.bin'), signature, secret], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`python3 failed: ${stderr || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

/** Seed 001's operations (method and path template, as it prints them), and its JSON examples. */
export function seed001(): { operations: { method: string; template: string; pattern: RegExp }[]; examples: Record<string, unknown>[] } | null {
  if (!existsSync(SEED_001)) return null;
  const text = readFileSync(SEED_001, 'utf8');
  const operations = [...text.matchAll(/(GET|POST|DELETE|PUT|PATCH) (\/api\/v1\/\S+)/g)].map(([, method, template]) => ({
    method: method as string,
    template: template as string,
    pattern: new RegExp(`^${(template as string).replace(/<[^>]+>/g, '[^/]+')}$`),
  }));
  // Each example is an object opened by a line that is just "{", closed where its brackets balance.
  const lines = text.split('\n');
  const examples: Record<string, unknown>[] = [];
  lines.forEach((line, start) => {
    if (line !== '{') return;
    let depth = 0;
    let end = start;
    for (; end < lines.length; end++) {
      depth += ((lines[end] as string).match(/[{[]/g)?.length ?? 0) - ((lines[end] as string).match(/[}\]]/g)?.length ?? 0);
      if (depth <= 0) break;
    }
    try {
      examples.push(JSON.parse(lines.slice(start, end + 1).join('\n')) as Record<string, unknown>);
    } catch {
      // a request example with comments or ellipses: not a response shape
    }
  });
  return { operations, examples };
}

/** Whether `actual` has every field of `example`, with the same JSON type (a null in the example allows any), arrays by their first item. */
export function hasShapeOf(actual: unknown, example: unknown): boolean {
  if (example === null) return true;
  if (Array.isArray(example)) return Array.isArray(actual) && (example.length === 0 || (actual.length > 0 && hasShapeOf(actual[0], example[0])));
  if (typeof example === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(example as Record<string, unknown>).every(([key, value]) => key in (actual as Record<string, unknown>) && hasShapeOf((actual as Record<string, unknown>)[key], value));
  }
  return typeof actual === typeof example;
}
