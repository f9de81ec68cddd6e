import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { pairClient } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The README's code block that follows `heading`. */
function readmeBlock(heading: string): string {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const start = readme.indexOf(heading);
  const block = /```\w*\n([\s\S]*?)```/.exec(readme.slice(start))?.[1];
  if (start < 0 || !block) throw new Error(`the README has no code block after "${heading}"`);
  return block;
}

describe('the README’s snippets, run as written, on a port that is not the default', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  it('the Node SDK snippet creates an invoice and reads it back', async () => {
    const { key, token } = await pairClient(emu, 'merchant');
    mkdirSync(`${ROOT}test-artifacts`, { recursive: true });
    const script = `${ROOT}test-artifacts/readme-invoice.cjs`;
    writeFileSync(script, readmeBlock('**Node.js (`bitpay-sdk`)**'));
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [script], { env: { ...process.env, EMULATOR_URL: emu.url, PRIVATE_KEY: key.privateKey, MERCHANT_TOKEN: token }, timeout: 30_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const [url, status] = out.trim().split('\n');
    expect(url).to.match(new RegExp(`^${emu.url}invoice\\?id=\\w+$`));
    expect(status).to.equal('new');
  });
});
