import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bitpay-emulator command (from source) to completion. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `bitpay-emulator start` and resolves once it logs that it is listening. */
export function startCliServer(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start', ...args], {
    // The listening line is an info log: the level stays at info whatever the caller sets.
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listening = new Promise<{ url: string }>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      for (const line of output.split('\n')) {
        if (line.includes('"msg":"listening"')) resolve(JSON.parse(line));
      }
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => reject(new Error(`emulator exited with ${code}: ${output}`)));
  });
  return {
    child,
    listening,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Runs a command that keeps going (`webhooks --follow`): wait for a line of its output, then stop it. */
export function spawnCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return {
    /** The first line that matches, once printed (30 s at most: a first start compiles PGlite, slow on a busy machine). */
    waitFor: (pattern: RegExp) =>
      new Promise<string>((resolve, reject) => {
        const started = Date.now();
        const look = () => {
          const line = output.split('\n').find((l) => pattern.test(l));
          if (line) return resolve(line);
          if (Date.now() - started > 30_000 || child.exitCode !== null) return reject(new Error(`no line matched ${pattern}:\n${output}`));
          setTimeout(look, 100);
        };
        look();
      }),
    stop: () => child.kill('SIGINT'),
    output: () => output,
  };
}
