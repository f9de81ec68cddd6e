/**
 * `npm run bench:profile -- <scenario> [embedded|postgres]`: where the time of one load scenario
 * goes. Runs the emulator under `--cpu-prof`, loads it with the scenario of `npm run bench`, and
 * writes the self time by module and by function to bench/results/profile-<scenario>-<backend>.md.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { withBenchDatabase } from './database.js';
import { startProcess } from './processes.js';
import { loadScenarios } from './scenarios.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const [wanted = 'list', backend = 'embedded'] = process.argv.slice(2);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package, one of our modules, Node itself, or V8's own work. */
function moduleOf(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const ours = /\/(dist|src)\/(.+)$/.exec(url);
  if (ours) return `src/${(ours[2] as string).replace(/\.js$/, '.ts')}`;
  return url.startsWith('node:') ? url : url.replace(/^file:\/\//, '');
}

function summarize(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByNode = new Map<number, number>();
  profile.samples.forEach((id, i) => selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, micros] of selfByNode) {
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
    if (functionName === '(idle)') continue;
    total += micros;
    const module = moduleOf(url, functionName);
    byModule.set(module, (byModule.get(module) ?? 0) + micros);
    const fn = `${functionName || '(anonymous)'} ${module}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, micros]) => `| ${name.replace(/\|/g, '\\|')} | ${((100 * micros) / total).toFixed(1)} % |`).join('\n');
  return { total, modules: top(byModule, 20), functions: top(byFunction, 30) };
}

async function profile(env: Record<string, string>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const server = await startProcess(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, 'dist/cli.js', 'start'], { LOG_LEVEL: 'warn', BLOCK_INTERVAL: '0', CLOCK: 'system', ...env }, 'rates');
  let name = '';
  let result: autocannon.Result;
  let peakRssMb = 0;
  try {
    const scenario = (await loadScenarios(server.url)).find((s) => s.name.toLowerCase().includes(wanted.toLowerCase()));
    if (!scenario) throw new Error(`no scenario matches "${wanted}"`);
    name = scenario.name;
    result = await autocannon({ connections: 32, duration: SECONDS, ...scenario.options } as autocannon.Options);
    peakRssMb = server.peakRssMb();
  } finally {
    await server.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('the server wrote no profile');
  const { total, modules, functions } = summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
  const slug = wanted.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const report =
    `# Profile: ${name}, ${backend}\n\n${new Date().toISOString().slice(0, 10)}; ${SECONDS} s of load at 32 connections, ${Math.round(result.requests.average)} req/s, ` +
    `p99 ${result.latency.p99} ms, peak RSS ${peakRssMb} MB; ${(total / 1e6).toFixed(1)} s of busy CPU in the server's main thread ` +
    `(setup requests included). Self time, idle excluded.\n\n## By module\n\n| module | self |\n|---|---:|\n${modules}\n\n## By function\n\n| function | self |\n|---|---:|\n${functions}\n`;
  writeFileSync(`bench/results/profile-${slug}-${backend}.md`, report);
  process.stdout.write(report);
}

(backend === 'postgres' ? withBenchDatabase(`bitpay_emulator_profile_${process.pid}`, (url) => profile({ DATABASE_URL: url })) : profile({ DATA_DIR: 'memory' })).catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
