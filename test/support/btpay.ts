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
