import { expect } from 'chai';
import { newKey, pairClient, rawRequest, sdkTransport } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';

describe('pairing and tokens', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  describe('client-initiated (POST /tokens {id, facade})', () => {
    it('returns an inactive token and a 7-character code valid for 24 h, as BitPay does', async () => {
      const key = newKey();
      const data = JSON.parse(await sdkTransport(emu, null).post('tokens', { id: key.sin, facade: 'merchant', label: 'shop.example-1' }, false));
      expect(data).to.have.length(1);
      const [token] = data;
      expect(token.policies).to.deep.equal([{ policy: 'id', method: 'inactive', params: [key.sin] }]);
      expect(token.token).to.match(/^[1-9A-HJ-NP-Za-km-z]{44}$/);
      expect(token.pairingCode).to.match(/^[A-Za-z0-9]{7}$/);
      expect(token.facade).to.equal('merchant');
      expect(token.label).to.equal('shop.example-1');
      expect(token.pairingExpiration - token.dateCreated).to.equal(86_400_000);
      expect(token).not.to.have.property('resource');
    });

    it('defaults the facade to pos', async () => {
      const { json } = await rawRequest(emu, 'POST', 'tokens', { body: { id: newKey().sin } });
      expect(json.data[0].facade).to.equal('pos');
    });

    it('lists the token under GET /tokens only once approved', async () => {
      const key = newKey();
      const signed = sdkTransport(emu, key);
      const [request] = JSON.parse(await sdkTransport(emu, null).post('tokens', { id: key.sin, facade: 'merchant' }, false));
      expect(JSON.parse(await signed.get('tokens', null, true))).to.deep.equal([]);

      const approved = await emu.sandbox.approvePairingCode(request.pairingCode);
      expect(approved).to.include({ status: 'active', token: request.token, sin: key.sin });
      expect(JSON.parse(await signed.get('tokens', null, true))).to.deep.equal([{ merchant: request.token }]);
    });

    it('approves over the sandbox API and refuses a second approval', async () => {
      const key = newKey();
      const { json } = await rawRequest(emu, 'POST', 'tokens', { body: { id: key.sin, facade: 'payout' } });
      const code = json.data[0].pairingCode;
      const first = await rawRequest(emu, 'POST', `sandbox/pairing-codes/${code}/approve`);
      expect(first.status).to.equal(200);
      expect(first.json).to.include({ status: 'active', facade: 'payout' });
      const second = await rawRequest(emu, 'POST', `sandbox/pairing-codes/${code}/approve`);
      expect(second.status).to.equal(409);
      expect(second.json).to.deep.equal({ error: `Pairing code ${code} has already been used` });
    });

    it('lists every approved token of a SIN, one {facade: token} object each', async () => {
      const key = newKey();
      const merchant = await pairClient(emu, 'merchant', key);
      const payout = await pairClient(emu, 'payout', key);
      const tokens = JSON.parse(await sdkTransport(emu, key).get('tokens', null, true));
      expect(tokens).to.deep.equal([{ merchant: merchant.token }, { payout: payout.token }]);
    });

    it('ignores signature headers on POST /tokens, even broken ones', async () => {
      const { status, json } = await rawRequest(emu, 'POST', 'tokens', {
        body: { id: newKey().sin, facade: 'merchant' },
        headers: { 'x-identity': 'garbage', 'x-signature': 'garbage' },
      });
      expect(status).to.equal(200);
      expect(json.data[0].pairingCode).to.be.a('string');
    });

    it('refuses an expired code', async () => {
      const { json } = await rawRequest(emu, 'POST', 'tokens', { body: { id: newKey().sin, facade: 'merchant' } });
      const code = json.data[0].pairingCode;
      await emu.clock.advance('24h');
      const response = await rawRequest(emu, 'POST', `sandbox/pairing-codes/${code}/approve`);
      expect(response.status).to.equal(409);
      expect(response.json.error).to.equal(`Pairing code ${code} has expired (codes are valid for 24 hours)`);
    });
  });

  describe('server-initiated (sandbox code claimed with POST /tokens {id, pairingCode})', () => {
    it('binds the SIN and returns the token with its id policy and resource', async () => {
      const created = (await rawRequest(emu, 'POST', 'sandbox/pairing-codes', { body: { facade: 'pos', requireAuth: true, label: 'Kiosk 1' } })).json;
      expect(created).to.include({ facade: 'pos', requireAuth: true, status: 'active', sin: null });
      const key = newKey();
      const data = JSON.parse(await sdkTransport(emu, null).post('tokens', { id: key.sin, pairingCode: created.pairingCode }, false));
      expect(data[0]).to.deep.include({
        policies: [{ policy: 'id', method: 'require', params: [key.sin] }],
        resource: created.merchantId,
        token: created.token,
        facade: 'pos',
        label: 'Kiosk 1',
      });
      expect(data[0]).not.to.have.property('pairingCode');
      expect(JSON.parse(await sdkTransport(emu, key).get('tokens', null, true))).to.deep.equal([{ pos: created.token }]);
    });

    it('refuses a reused code, an unknown code and a facade that does not match', async () => {
      const created = await emu.sandbox.createPairingCode({ facade: 'merchant' });
      const code = created.pairingCode as string;
      const wrongFacade = await rawRequest(emu, 'POST', 'tokens', { body: { id: newKey().sin, pairingCode: code, facade: 'pos' } });
      expect(wrongFacade.status).to.equal(400);
      expect(wrongFacade.json.error).to.equal(`Pairing code ${code} is for the merchant facade; leave facade out when claiming a code`);

      expect((await rawRequest(emu, 'POST', 'tokens', { body: { id: newKey().sin, pairingCode: code } })).status).to.equal(200);
      const reused = await rawRequest(emu, 'POST', 'tokens', { body: { id: newKey().sin, pairingCode: code } });
      expect(reused.status).to.equal(409);
      expect(reused.json).to.deep.equal({ error: `Pairing code ${code} has already been used` });

      const unknown = await rawRequest(emu, 'POST', 'tokens', { body: { id: newKey().sin, pairingCode: 'zzzzzzz' } });
      expect(unknown.status).to.equal(404);
      expect(unknown.json).to.deep.equal({ error: 'Pairing code zzzzzzz not found' });
    });

    it('refuses to claim a code the client itself requested (it must be approved)', async () => {
      const { json } = await rawRequest(emu, 'POST', 'tokens', { body: { id: newKey().sin } });
      const claim = await rawRequest(emu, 'POST', 'tokens', { body: { id: newKey().sin, pairingCode: json.data[0].pairingCode } });
      expect(claim.status).to.equal(409);
      expect(claim.json.error).to.match(/must be approved by the merchant/);
    });
  });

  describe('bad pairing requests', () => {
    const cases: [string, object, number, RegExp][] = [
      ['no id', { facade: 'pos' }, 400, /^Missing parameter: id/],
      ['a malformed SIN', { id: 'TezyVWSytxYuazuWyW9PCvqcUSP4WMsGnKG' }, 400, /^Invalid SIN/],
      ['a public key instead of a SIN', { id: '0349f49fbf265da4d4d59f0de786351d040c895c2a9dc6ca7422a40958e1d71baa' }, 400, /^Invalid SIN/],
      ['a numeric id', { id: 12 }, 400, /^Invalid SIN/],
      ['an unknown facade', { id: 'TezyVWSytxYuazuWyW9PCvqcUSP4WMsGnKF', facade: 'user' }, 400, /^facade must be one of pos, merchant, payout/],
      ['a label with symbols', { id: 'TezyVWSytxYuazuWyW9PCvqcUSP4WMsGnKF', label: 'shop<script>' }, 400, /^label may contain only/],
      ['an over-long label', { id: 'TezyVWSytxYuazuWyW9PCvqcUSP4WMsGnKF', label: 'x'.repeat(61) }, 400, /^label must be at most 60/],
      ['a short pairing code', { id: 'TezyVWSytxYuazuWyW9PCvqcUSP4WMsGnKF', pairingCode: 'abc' }, 400, /^pairingCode must be 7 letters or digits/],
    ];
    for (const [name, body, status, message] of cases) {
      it(`refuses ${name} and stores nothing`, async () => {
        const before = (await emu.sandbox.tokens()).length;
        const response = await rawRequest(emu, 'POST', 'tokens', { body });
        expect(response.status).to.equal(status);
        expect(Object.keys(response.json)).to.deep.equal(['error']);
        expect(response.json.error).to.match(message);
        expect((await emu.sandbox.tokens()).length).to.equal(before);
      });
    }
  });
});
