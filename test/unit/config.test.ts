import { expect } from 'chai';
import { ConfigError, resolveConfig, type ConfigInput } from '../../src/config.js';
import { parseDuration } from '../../src/domain/duration.js';

describe('config', () => {
  it('has the documented defaults', () => {
    const config = resolveConfig({});
    expect(config).to.deep.include({
      port: 8088,
      host: '127.0.0.1',
      databaseUrl: null,
      dataDir: './.bitpay-emulator',
      publicUrl: null,
      sandboxToken: null,
      autoApprove: false,
      blockIntervalMs: 10_000,
      clock: 'system',
      btcNetwork: 'testnet',
      logLevel: 'info',
    });
  });

  it('takes an empty setting as unset: PORT= is the default port', () => {
    expect(resolveConfig({ port: '' }).port).to.equal(8088);
    expect(resolveConfig({ databaseUrl: '', logLevel: '' })).to.include({ databaseUrl: null, logLevel: 'info' });
  });

  it('normalises PUBLIC_URL to end in a slash', () => {
    expect(resolveConfig({ publicUrl: 'https://test.bitpay.com' }).publicUrl).to.equal('https://test.bitpay.com/');
    expect(resolveConfig({ publicUrl: 'http://proxy.test/bitpay' }).publicUrl).to.equal('http://proxy.test/bitpay/');
  });

  const refused: [ConfigInput, string][] = [
    [{ port: 'abc' }, 'PORT'],
    [{ port: 70000 }, 'PORT'],
    [{ port: -1 }, 'PORT'],
    [{ host: ' ' }, 'HOST'],
    [{ databaseUrl: 'mysql://x' }, 'DATABASE_URL'],
    [{ publicUrl: 'ftp://x' }, 'PUBLIC_URL'],
    [{ publicUrl: 'not a url' }, 'PUBLIC_URL'],
    [{ publicUrl: 'http://x/?a=1' }, 'PUBLIC_URL'],
    [{ autoApprove: 'maybe' }, 'AUTO_APPROVE'],
    [{ blockIntervalMs: '10' }, 'BLOCK_INTERVAL'],
    [{ blockIntervalMs: 'soon' }, 'BLOCK_INTERVAL'],
    [{ clock: 'fast' }, 'CLOCK'],
    [{ btcNetwork: 'mainnet' }, 'BTC_NETWORK'],
    [{ logLevel: 'verbose' }, 'LOG_LEVEL'],
    [{ host: '0.0.0.0' }, 'HOST'],
    [{ host: '192.168.1.5' }, 'HOST'],
  ];
  for (const [input, setting] of refused) {
    it(`refuses ${JSON.stringify(input)} naming ${setting}`, () => {
      let error: unknown;
      try {
        resolveConfig(input);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).setting).to.equal(setting);
      expect((error as ConfigError).message).to.match(new RegExp(`^Invalid configuration: ${setting} `));
      expect((error as ConfigError).message).not.to.include('\n');
    });
  }

  it('binds a non-loopback HOST only with a SANDBOX_TOKEN of 16 characters or more', () => {
    expect(resolveConfig({ host: '0.0.0.0', sandboxToken: 's3cret-s3cret-16' }).host).to.equal('0.0.0.0');
    expect(() => resolveConfig({ host: '0.0.0.0', sandboxToken: 's3cret' })).to.throw(ConfigError, /SANDBOX_TOKEN must be at least 16 characters when HOST \("0.0.0.0"\)/);
    expect(resolveConfig({ host: '127.0.0.1', sandboxToken: 's3cret' }).sandboxToken).to.equal('s3cret');
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) expect(resolveConfig({ host }).host).to.equal(host);
  });

  it('parses durations', () => {
    const table: [string, number | null][] = [
      ['0', 0],
      ['500ms', 500],
      ['10s', 10_000],
      ['15m', 900_000],
      ['1h30m', 5_400_000],
      ['2d', 172_800_000],
      ['1.5s', 1500],
      ['10', null],
      ['-1s', null],
      ['s', null],
      ['', null],
    ];
    for (const [text, ms] of table) expect(parseDuration(text), text).to.equal(ms);
  });
});
