import { execFile } from 'node:child_process';
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The official clients kept beside the project (../shared/sdks); absent in a clone outside CI. */
export const SDKS_DIR = fileURLToPath(new URL('../../../shared/sdks/', import.meta.url));
export const SDKS_PRESENT = existsSync(`${SDKS_DIR}php/autoload.php`);
export const PYTHON_SDK_PRESENT = existsSync(`${SDKS_DIR}python/python-bitpay-client/src/bitpay/client.py`);

/** Runs a program on a script of test/<folder> with arguments; answers what it printed, parsed as JSON. */
function runJson(program: string, folder: string, script: string, args: string[], env: Record<string, string>, timeout: number): Promise<any> {
  const path = fileURLToPath(new URL(`../${folder}/${script}`, import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(program, [path, ...args], { env: { ...process.env, ...env }, timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${program} ${script} ${args.slice(2, 3).join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`${program} ${script} printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** A PHP script of test/php, with SDKS pointing at the official clients. */
export function runPhp(script: string, args: string[]): Promise<any> {
  return runJson('php', 'php', script, args, { SDKS: SDKS_DIR }, 60_000);
}

/** A Python script of test/python, with the official Python SDK and its ecdsa on the path. */
export function runPython(script: string, args: string[]): Promise<any> {
  return runJson('python3', 'python', script, args, { PYTHONPATH: `${SDKS_DIR}python/site:${SDKS_DIR}python/python-bitpay-client/src` }, 120_000);
}

/** What a script of test/php or test/python reports: for each SDK method, its brief answer or the error it threw. */
export type SdkReport = Record<string, { ok: boolean; value?: unknown; error?: string; trace?: string }>;

/** Every method ran and answered, and none of `methods` was left out of the script. */
export function expectEveryMethodAnswered(report: SdkReport, methods: readonly string[]): void {
  const failed = Object.entries(report).filter(([, r]) => !r.ok).map(([name, r]) => `${name}: ${r.error}\n${r.trace}`);
  expect(failed, failed.join('\n\n')).to.deep.equal([]);
  expect(methods.filter((name) => !(name in report))).to.deep.equal([]);
}
