import { DIALECTS } from '../../src/dialects/registry.js';
import { cheatModeRoutes } from '../../src/dialects/greenfield/cheat-mode.js';
import { expect } from 'chai';
import type Router from '@koa/router';
import type { EngineContext } from '../../src/engine/context.js';
import type { Sandbox } from '../../src/sandbox/controls.js';
import { createSandboxKey } from '../../src/http/sandbox/guard.js';
import { sandboxRoutes } from '../../src/http/sandbox/routes.js';
import { dashboardMoneyRoutes } from '../../src/http/web/dashboard-money.js';
import { dashboardWebhookRoutes } from '../../src/http/web/dashboard-webhooks.js';
import { dashboardRoutes } from '../../src/http/web/dashboard.js';
import { httpRequest } from '../support/raw-http.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';

const TOKEN = 'a-long-sandbox-token-for-tests';
const BEARER = { authorization: `Bearer ${TOKEN}` };
/** Routes that anyone may reach: the login form itself. */
const OPEN_ROUTES = new Set(['GET /dashboard/login', 'POST /dashboard/login', 'POST /dashboard/logout']);

/** Every method and path the sandbox API, BTCPay's cheat mode and the dashboard serve, read off their routers. */
function guardedRoutes(): { method: string; path: string }[] {
  const engine = { config: { sandboxToken: TOKEN } } as unknown as EngineContext;
  const key = createSandboxKey(TOKEN, null);
  const routers: Router[] = [sandboxRoutes(engine, {} as Sandbox, key, DIALECTS), cheatModeRoutes({} as Sandbox, key), dashboardRoutes(engine, {} as Sandbox, key, DIALECTS), dashboardMoneyRoutes(engine, {} as Sandbox, key), dashboardWebhookRoutes(engine, {} as Sandbox, key)] as unknown as Router[];
  const routes = routers.flatMap((router) =>
    router.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((method) => ({ method, path: String(layer.path).replace(/:\w+/g, 'x') }))),
  );
  return routes.filter((r) => !OPEN_ROUTES.has(`${r.method} ${r.path}`));
}

/** Ways of writing a path: those the router matches, and those it must not match at all. */
function spellings(path: string): string[] {
  const mixed = path.replace(/[a-z]/g, (c, i: number) => (i % 2 === 0 ? c.toUpperCase() : c));
  return [
    path,
    path.toUpperCase(),
    mixed,
    `${path}/`,
    `${path.toUpperCase()}/`,
    `/${path}`,
    path.replace(/\//g, '//'),
    path.replace(/^\/(.)/, (_m, c: string) => `/%${c.charCodeAt(0).toString(16)}`),
    `/x/..${path}`,
    path.replace(/^\//, '/./'),
    `${path};x`,
  ];
}

describe('SANDBOX_TOKEN guards every spelling of every sandbox and dashboard route', function () {
  this.timeout(120_000);
  let emu: Emulator;

  before(async () => {
    emu = await startTestEmulator({ sandboxToken: TOKEN });
  });
  after(() => emu.close());

  async function state() {
    const get = async (path: string) => (await httpRequest(emu.url, 'GET', path, { headers: BEARER })).json;
    return { tokens: await get('/sandbox/tokens'), merchants: await get('/sandbox/merchants'), height: (await get('/sandbox/blocks')).height, clock: (await get('/sandbox/clock')).now };
  }

  it('answers no request without the token with anything but a refusal, and changes nothing', async () => {
    await httpRequest(emu.url, 'POST', '/sandbox/pairing-codes', { headers: { ...BEARER, 'content-type': 'application/json' }, body: '{"facade":"pos"}' });
    const before = await state();
    const routes = guardedRoutes();
    expect(routes.length).to.be.at.least(35);
    const sandboxPaths = routes.filter((r) => r.path.startsWith('/sandbox')).map((r) => r.path);
    for (const expected of ['/sandbox/blocks', '/sandbox/tokens', '/sandbox/reset', '/sandbox/clock', '/sandbox/rates']) expect(sandboxPaths).to.include(expected);
    let requests = 0;
    for (const { method, path } of routes) {
      for (const spelling of spellings(path)) {
        const body = method === 'GET' ? undefined : '{"count":1,"advance":"1h","name":"Evil","facade":"pos","BTC":{"USD":1}}';
        const response = await httpRequest(emu.url, method, spelling, { headers: { 'content-type': 'application/json' }, ...(body ? { body } : {}) });
        requests++;
        const what = `${method} ${spelling} → ${response.status} ${response.text.slice(0, 120)}`;
        if (path.startsWith('/sandbox') || path.startsWith('/i/')) {
          expect(response.status, what).to.be.oneOf([401, 404]);
          expect(response.json?.error, what).to.be.a('string');
        } else {
          expect(response.status, what).to.be.oneOf([302, 404]);
          if (response.status === 302) expect(response.headers.location, what).to.match(/^\/dashboard\/login\?next=/);
        }
      }
    }
    expect(requests).to.be.at.least(35 * 10);
    expect(await state()).to.deep.equal(before);
  });

  it('lets the token through on the spellings the router matches', async () => {
    for (const path of ['/SANDBOX/clock', '/Sandbox/Clock/', '/sandbox/clock']) {
      const response = await httpRequest(emu.url, 'GET', path, { headers: BEARER });
      expect(response.status, path).to.equal(200);
      expect(response.json.mode).to.equal('virtual');
    }
  });
});

describe('dashboard login', function () {
  this.timeout(60_000);
  let emu: Emulator;

  beforeEach(async () => {
    emu = await startTestEmulator({ sandboxToken: TOKEN });
  });
  afterEach(() => emu.close());

  const login = (token: string, next: string) =>
    httpRequest(emu.url, 'POST', '/dashboard/login', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: emu.url.replace(/\/$/, '') },
      body: new URLSearchParams({ token, next }).toString(),
    });

  it('redirects only to paths on this server after logging in', async () => {
    const cases: [string, string][] = [
      ['/dashboard/chain?x=1', '/dashboard/chain?x=1'],
      ['//other.host/x', '/dashboard'],
      ['/\\other.host/x', '/dashboard'],
      ['https://other.host/x', '/dashboard'],
      ['/\t/other.host', '/dashboard'],
      ['javascript:alert(1)', '/dashboard'],
      ['/.//other.host/x', '/dashboard'],
      ['/x/..//other.host', '/dashboard'],
      ['/%2e//other.host', '/dashboard'],
      ['/%2e%2e//other.host', '/dashboard'],
      ['/./\\other.host', '/dashboard'],
    ];
    for (const [next, expected] of cases) {
      const response = await login(TOKEN, next);
      expect(response.status, next).to.equal(302);
      expect(response.headers.location, next).to.equal(expected);
      const form = await httpRequest(emu.url, 'GET', `/dashboard/login?next=${encodeURIComponent(next)}`);
      expect(form.text, next).to.include(`name="next" value="${expected.replace(/&/g, '&amp;')}"`);
    }
  });

  it('sends back= only to paths on this server', async () => {
    for (const back of ['/.//other.host', '/x/..//other.host', '//other.host', 'https://other.host/']) {
      const response = await httpRequest(emu.url, 'POST', `/dashboard/webhooks/nope/redeliver?back=${encodeURIComponent(back)}`, {
        headers: { ...BEARER, origin: emu.url.replace(/\/$/, '') },
      });
      expect(response.status, back).to.equal(302);
      expect(response.headers.location, back).to.match(/^\/dashboard\?error=/);
    }
  });

  it('slows down repeated wrong tokens: after five, even the right one waits', async () => {
    for (let i = 0; i < 5; i++) {
      const wrong = await login('wrong-token', '/dashboard');
      expect(wrong.headers.location).to.match(/error=Wrong%20token/);
    }
    const sixth = await login(TOKEN, '/dashboard');
    expect(sixth.status).to.equal(302);
    expect(decodeURIComponent(String(sixth.headers.location))).to.match(/Too many wrong SANDBOX_TOKEN attempts from this address: try again in 1 s/);
    expect(sixth.headers['set-cookie'] ?? []).not.to.satisfy((cookies: string[]) => cookies.some((c) => c.startsWith('bpe_session=')));

    const api = await httpRequest(emu.url, 'GET', '/sandbox/tokens', { headers: BEARER });
    expect(api.status).to.equal(429);
    expect(api.headers['retry-after']).to.equal('1');
    expect(api.json).to.deep.equal({ error: 'Too many wrong SANDBOX_TOKEN attempts from this address: try again in 1 s' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const after = await login(TOKEN, '/dashboard/chain');
    expect(after.headers.location).to.equal('/dashboard/chain');
    expect((await httpRequest(emu.url, 'GET', '/sandbox/tokens', { headers: BEARER })).status).to.equal(200);
  });

  it('counts wrong bearer tokens on the sandbox API the same way', async () => {
    for (let i = 0; i < 5; i++) expect((await httpRequest(emu.url, 'GET', '/sandbox/clock', { headers: { authorization: 'Bearer nope' } })).status).to.equal(401);
    const throttled = await httpRequest(emu.url, 'POST', '/sandbox/reset', { headers: { ...BEARER, 'content-type': 'application/json' }, body: '{}' });
    expect(throttled.status).to.equal(429);
    expect(Number(throttled.headers['retry-after'])).to.be.within(1, 2);
  });
});

describe('an open emulator (no SANDBOX_TOKEN)', function () {
  this.timeout(60_000);
  let emu: Emulator;

  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  it('answers its sandbox and dashboard only on its own names, so a DNS-rebinding page cannot drive it', async () => {
    const port = new URL(emu.url).port;
    const height = async () => (await httpRequest(emu.url, 'GET', '/sandbox/blocks')).json.height as number;
    const before = await height();
    for (const host of [`attacker.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
      const mined = await httpRequest(emu.url, 'POST', '/sandbox/blocks', { headers: { host, origin: `http://${host}`, 'content-type': 'application/json' }, body: '{}' });
      expect(mined.status, host).to.equal(403);
      expect(mined.json.error, host).to.match(/is not a name of this emulator/);
      const page = await httpRequest(emu.url, 'GET', '/dashboard', { headers: { host } });
      expect(page.status, host).to.equal(302);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'test.bitpay.com']) {
      expect((await httpRequest(emu.url, 'GET', '/sandbox/clock', { headers: { host } })).status, host).to.equal(200);
    }
    expect(await height()).to.equal(before);
  });
});
