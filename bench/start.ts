/**
 * Part of `npm run bench`: how fast an in-process emulator starts on the in-memory database (to its
 * first answered request) and resets, against opening a bare in-memory PGlite in the same run.
 * Median of 20 with the spread (min–max); results go to bench/results/start-latest.md.
 */
import { writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import { startEmulator } from '../src/index.js';

const RUNS = Number(process.env.BENCH_START_RUNS ?? 20);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const spread = (values: number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;

async function timed(action: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

async function main(): Promise<void> {
  // The first start on a machine builds the migrated template; it is not what a test suite pays.
  await (await startEmulator()).close();
  const bare: number[] = [];
  const start: number[] = [];
  const reset: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(await timed(async () => void (await (await PGlite.create()).close())));
    let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
    start.push(
      await timed(async () => {
        emulator = await startEmulator();
        const answer = await fetch(`${emulator.url}rates/BTC/USD`);
        if (!answer.ok) throw new Error(`first request: ${answer.status}`);
      }),
    );
    const running = emulator as Awaited<ReturnType<typeof startEmulator>>;
    await fetch(`${running.url}invoices`, { method: 'POST' });
    reset.push(await timed(() => running.sandbox.reset()));
    await running.close();
  }
  const report = `# In-process start and reset (in-memory database)

${new Date().toISOString().slice(0, 10)}, ${hostname()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; median of ${RUNS}, spread min–max, ms.

| measure | median ms | spread ms | ratio to a bare in-memory PGlite |
|---|---|---|---|
| bare \`PGlite.create()\` (the baseline) | ${median(bare).toFixed(0)} | ${spread(bare)} | 1.00 |
| \`startEmulator()\` to its first answered request | ${median(start).toFixed(0)} | ${spread(start)} | ${(median(start) / median(bare)).toFixed(2)} |
| \`emu.sandbox.reset()\` | ${median(reset).toFixed(0)} | ${spread(reset)} | ${(median(reset) / median(bare)).toFixed(3)} |

Targets (issue "first hour"): start ≤ 500 ms, reset ≤ 50 ms. The start loads a migrated template
(built once per machine and schema, kept in the OS temp folder) instead of running initdb and the
migrations, which a bare PGlite's initdb alone costs.
`;
  writeFileSync('bench/results/start-latest.md', report);
  process.stdout.write(report);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
