import { expect } from 'chai';
import { merchantOfItsOwn, rawRequest, type TestKey } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';

type Json = Record<string, any>;

describe('subscriptions (BitPay, PHP SDK only): a bill sent on a schedule', () => {
  let emu: Emulator;
  let key: TestKey;
  let token: string;
  const billData = { number: 'rent', currency: 'USD', email: 'tenant@example.com', items: [{ description: 'Rent', price: 500, quantity: 1 }] };
  const call = (method: string, path: string, body?: Json) => rawRequest(emu, method, path, { key, ...(body ? { body: { token, ...body } } : {}) });

  before(async () => {
    emu = await startTestEmulator();
    ({ key, token } = await merchantOfItsOwn(emu, 'Landlord'));
  });
  after(() => emu.close());

  it('a draft sends nothing; once active, each delivery makes a bill of the template and sends it', async () => {
    const created = (await call('POST', 'subscriptions', { billData, schedule: 'weekly' })).json.data as Json;
    expect(created).to.include({ status: 'draft', schedule: 'weekly' });
    expect(created.billData).to.deep.include({ number: 'rent', currency: 'USD', email: 'tenant@example.com', passProcessingFee: false, cc: [] });
    await emu.clock.advance('8d');
    expect((await call('GET', `bills?token=${token}`)).json.data).to.deep.equal([]);
    const activated = (await rawRequest(emu, 'PUT', `subscriptions/${created.id}`, { key, body: { ...created, status: 'active' } })).json.data as Json;
    expect(activated.status).to.equal('active');
    expect(Date.parse(activated.nextDelivery)).to.equal(emu.clock.now());
    await emu.clock.advance(0);
    const first = (await call('GET', `bills?token=${token}`)).json.data as Json[];
    expect(first.map((b) => [b.number, b.status, b.items[0].price])).to.deep.equal([['rent', 'sent', 500]]);
    const read = (await call('GET', `subscriptions/${created.id}?token=${token}`)).json.data as Json;
    expect(Date.parse(read.nextDelivery)).to.equal(emu.clock.now() + 7 * 86_400_000);
    await emu.clock.advance('7d');
    expect((await call('GET', `bills?token=${token}`)).json.data).to.have.length(2);
    await rawRequest(emu, 'PUT', `subscriptions/${created.id}`, { key, body: { token: created.token, status: 'cancelled' } });
    await emu.clock.advance('8d');
    expect((await call('GET', `bills?token=${token}`)).json.data).to.have.length(2);
    const reactivate = await rawRequest(emu, 'PUT', `subscriptions/${created.id}`, { key, body: { token, status: 'active' } });
    expect(reactivate.status).to.equal(409);
    expect(reactivate.json.error).to.match(/is cancelled; it cannot become active/);
  });

  it('lists by status and refuses what is wrong', async () => {
    expect(((await call('GET', `subscriptions?token=${token}&status=cancelled`)).json.data as Json[]).map((s) => s.status)).to.deep.equal(['cancelled']);
    expect((await call('GET', `subscriptions?token=${token}&status=draft`)).json.data).to.deep.equal([]);
    const cases: [Json, RegExp][] = [
      [{ schedule: 'monthly' }, /billData/],
      [{ billData, schedule: 'daily' }, /schedule/],
      [{ billData: { ...billData, currency: 'XYZ' } }, /currency/],
      [{ billData, nextDelivery: 'soon' }, /nextDelivery/],
    ];
    for (const [body, message] of cases) {
      const response = await call('POST', 'subscriptions', body);
      expect(response.status, JSON.stringify(body)).to.equal(400);
      expect(response.json.error).to.match(message);
    }
    expect((await call('GET', `subscriptions/nope?token=${token}`)).status).to.equal(404);
  });
});
