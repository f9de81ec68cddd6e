import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/.bin/tsc');

function run(command: string, args: string[], cwd: string, timeout = 240_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, timeout, env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

describe('the npm package, installed outside the clone', function () {
  this.timeout(600_000);
  let folder: string;
  let app: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'bitpay-emulator-package-'));
    app = join(folder, 'app');
    const packed = (await run('npm', ['pack', '--silent', '--pack-destination', folder], ROOT)).trim().split('\n').at(-1) as string;
    await run('mkdir', ['-p', app], folder);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'shop-tests', version: '1.0.0', private: true, type: 'module' }));
    await run('npm', ['install', '--silent', join(folder, packed)], app);
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('gives a working npx bitpay-emulator', async () => {
    const out = await run('npx', ['bitpay-emulator', 'keys', 'new'], app);
    expect(out).to.match(/^private key: [0-9a-f]{64}\npublic key: +0[23][0-9a-f]{64}\nSIN: +T/);
  });

  it('runs the README’s complete mocha example as it is written', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /A complete mocha test[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'the README has its mocha example').to.be.a('string');
    writeFileSync(join(app, 'checkout.test.ts'), example as string);
    await run('npm', ['install', '--silent', 'bitpay-sdk@8.0.4', 'mocha', 'chai', 'tsx'], app);
    const out = await run('npx', ['mocha', '--import=tsx', 'checkout.test.ts'], app);
    expect(out).to.match(/1 passing/);
  });

  it('gives import { startEmulator } from "bitpay-emulator", with its types', async () => {
    writeFileSync(
      join(app, 'check.ts'),
      `import { startEmulator, type Emulator } from 'bitpay-emulator';
const emu: Emulator = await startEmulator();
const answer = await fetch(emu.url + 'rates/BTC/USD');
const body = (await answer.json()) as { data: { rate: number } };
const pos = await emu.sandbox.createPairingCode({ facade: 'pos' });
console.log(JSON.stringify({ status: answer.status, rate: body.data.rate, pos: typeof pos.token }));
await emu.close();
`,
    );
    await run(TSC, ['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict', '--skipLibCheck', '--outDir', '.', 'check.ts'], app);
    const out = await run(process.execPath, ['check.js'], app);
    expect(JSON.parse(out)).to.deep.equal({ status: 200, rate: 65000, pos: 'string' });
  });
});
