import { expect } from 'chai';
import { nextPayoutCutoff } from '../../src/domain/payouts.js';

describe('payout cut-offs (2 pm and 9 pm UTC, as BitPay executes pending payouts)', () => {
  const at = (iso: string) => Date.parse(iso);
  const cases: [string, string][] = [
    ['2026-12-08T00:00:00.000Z', '2026-12-08T14:00:00.000Z'],
    ['2026-12-08T13:59:59.999Z', '2026-12-08T14:00:00.000Z'],
    ['2026-12-08T14:00:00.000Z', '2026-12-08T14:00:00.000Z'],
    ['2026-12-08T14:00:00.001Z', '2026-12-08T21:00:00.000Z'],
    ['2026-12-08T21:00:00.001Z', '2026-12-09T14:00:00.000Z'],
    ['2026-12-31T23:59:59.999Z', '2027-01-01T14:00:00.000Z'],
  ];
  for (const [from, expected] of cases) {
    it(`${from} → ${expected}`, () => expect(new Date(nextPayoutCutoff(at(from))).toISOString()).to.equal(expected));
  }
});
