import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The official clients kept beside the project (../shared/sdks); absent in a clone outside CI. */
export const SDKS_DIR = fileURLToPath(new URL('../../../shared/sdks/', import.meta.url));
export const SDKS_PRESENT = existsSync(`${SDKS_DIR}php/autoload.php`);

/** Runs a PHP script of test/php with arguments; answers what it printed, parsed as JSON. */
export function runPhp(script: string, args: string[]): Promise<any> {
  const path = fileURLToPath(new URL(`../php/${script}`, import.meta.url));
  return new Promise((resolve, reject) => {
    execFile('php', [path, ...args], { env: { ...process.env, SDKS: SDKS_DIR }, timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`php ${script} ${args.slice(2, 3).join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`php ${script} printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
  });
}
