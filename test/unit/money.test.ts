import { expect } from 'chai';
import { crossRate, invoiceAmounts, MAX_INVOICE_SATS, priceToSats, satsToBtc, satsToCurrency } from '../../src/domain/money.js';

describe('money arithmetic', () => {
  it('converts prices to satoshis, rounding up to the next satoshi', () => {
    const table: [number | string, number | string, number][] = [
      [10, 65000, 15385], // 15384.615… sat
      [67.8, 65000, 104308],
      [0.01, 65000, 16], // the smallest USD price
      [19.999999999, 65000, 30770], // many decimals
      ['0.123456789012345678', 65000, 190], // more decimals than a double holds
      [1000, 9745000, 10262], // JPY, no decimals
      [1, 1, 100_000_000], // priced in BTC
      [0.3, 1, 30_000_000], // a float would give 30000000.000000004 and round up to …001
      [0.00000001, 1, 1],
      [1e12, 65000, 1_538_461_538_461_539], // huge, still exact
    ];
    for (const [price, rate, sats] of table) {
      expect(priceToSats(price, rate).toNumber(), `${price} at ${rate}`).to.equal(sats);
    }
  });

  it('knows when a price is more bitcoin than exists', () => {
    expect(priceToSats(1e12, 65000).gt(MAX_INVOICE_SATS)).to.equal(false);
    expect(priceToSats(2e12, 65000).gt(MAX_INVOICE_SATS)).to.equal(true);
    expect(priceToSats(21_000_000, 1).gt(MAX_INVOICE_SATS)).to.equal(false);
    expect(priceToSats(21_000_000.00000001, 1).gt(MAX_INVOICE_SATS)).to.equal(true);
  });

  it('adds the network cost to the subtotal', () => {
    expect(invoiceAmounts(10, 65000, 100)).to.deep.equal({ subtotalSats: 15385, minerFeeSats: 100, totalSats: 15485 });
  });

  it('writes BTC amounts without exponents or trailing zeros', () => {
    const table: [number, string][] = [
      [0, '0'],
      [1, '0.00000001'],
      [67900, '0.000679'],
      [100_000_000, '1'],
      [123_456_789, '1.23456789'],
      [2_100_000_000_000_000, '21000000'],
    ];
    for (const [sats, btc] of table) expect(satsToBtc(sats), String(sats)).to.equal(btc);
  });

  it('converts satoshis to a currency, half-up to its decimals', () => {
    expect(satsToCurrency(100, 65000, 2)).to.equal(0.07); // 0.065
    expect(satsToCurrency(100, 9745000, 0)).to.equal(10); // 9.745 JPY
    expect(satsToCurrency(100, 19980, 3)).to.equal(0.02); // 0.01998 KWD → 0.020
    expect(satsToCurrency(0, 65000, 2)).to.equal(0);
  });

  it('derives cross rates', () => {
    expect(crossRate(180.5, 65000, 2)).to.equal(360.11);
    expect(crossRate(65000, 1, 8)).to.equal(0.00001538);
    expect(crossRate(1, 65000, 2)).to.equal(65000);
    // 1 IDR in USD and in BTC: six significant digits, never 0
    expect(crossRate(1_050_000_000, 65000, 2)).to.equal(0.0000619048);
    expect(crossRate(1_050_000_000, 1, 8)).to.equal(9.52381e-10);
  });
});
