import { expect } from 'chai';
import { nextDeliveryAfter } from '../../src/domain/subscription.js';

const at = (iso: string) => Date.parse(iso);

describe('subscription schedule (pure)', () => {
  const cases: [string, 'weekly' | 'monthly' | 'quarterly' | 'yearly', string][] = [
    ['2026-01-01T09:30:00.000Z', 'weekly', '2026-01-08T09:30:00.000Z'],
    ['2026-01-15T00:00:00.000Z', 'monthly', '2026-02-15T00:00:00.000Z'],
    ['2026-01-31T12:00:00.000Z', 'monthly', '2026-02-28T12:00:00.000Z'],
    ['2028-01-31T12:00:00.000Z', 'monthly', '2028-02-29T12:00:00.000Z'],
    ['2026-11-30T00:00:00.000Z', 'quarterly', '2027-02-28T00:00:00.000Z'],
    ['2026-12-31T00:00:00.000Z', 'monthly', '2027-01-31T00:00:00.000Z'],
    ['2028-02-29T00:00:00.000Z', 'yearly', '2029-02-28T00:00:00.000Z'],
  ];
  for (const [from, schedule, next] of cases) {
    it(`${schedule} after ${from} is ${next}`, () => {
      expect(new Date(nextDeliveryAfter(at(from), schedule)).toISOString()).to.equal(next);
    });
  }
});
