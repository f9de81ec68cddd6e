import { expect } from 'chai';
import type { InvoiceStatus, TransactionSpeed } from '../../src/domain/invoice.js';
import {
  apply,
  settle,
  statusForConfirmations,
  TRANSITIONS,
  type EventType,
  type InvoiceFacts,
  type LifecycleEvent,
  type Payment,
} from '../../src/domain/lifecycle.js';

const STATUSES: InvoiceStatus[] = ['new', 'paid', 'confirmed', 'complete', 'expired', 'invalid', 'declined'];
const EVENTS: LifecycleEvent[] = [
  { type: 'paymentPartial' },
  { type: 'paymentFull' },
  { type: 'paymentOver' },
  { type: 'confirmations', count: 0 },
  { type: 'confirmations', count: 1 },
  { type: 'confirmations', count: 2 },
  { type: 'confirmations', count: 6 },
  { type: 'expiry' },
  { type: 'latePayment' },
  { type: 'unconfirmedTimeout' },
  { type: 'doubleSpend' },
  { type: 'cancelUnpaid' },
  { type: 'cancelPartial' },
  { type: 'refundDecline' },
  { type: 'markComplete' },
  { type: 'markInvalid' },
];
const SPEEDS: TransactionSpeed[] = ['high', 'medium', 'lowMedium', 'low'];
const all = (outcome: string): Record<TransactionSpeed, string> => ({ high: outcome, medium: outcome, lowMedium: outcome, low: outcome });

const label = (e: LifecycleEvent) => (e.type === 'confirmations' ? `confirmations(${e.count})` : e.type);

/**
 * A closed status: chain events change nothing and merchant commands are refused, except the
 * outcomes given (the same at every speed).
 */
function closedRow(except: Record<string, string>): Record<string, Record<TransactionSpeed, string>> {
  return Object.fromEntries(
    EVENTS.map((e) => {
      const command = e.type.startsWith('cancel') || e.type.startsWith('mark') || e.type === 'refundDecline';
      return [label(e), all(except[label(e)] ?? (command ? '×' : '·'))];
    }),
  );
}

/**
 * Expected outcome of every (status, event) pair per speed, written out independently of the
 * implementation: the statuses walked, '·' for no change, '×' for a refused command, and
 * '!x' for an exception-status change only.
 */
const EXPECTED: Record<InvoiceStatus, Record<string, Record<TransactionSpeed, string>>> = {
  new: {
    paymentPartial: { high: '!paidPartial', medium: '!paidPartial', lowMedium: '!paidPartial', low: '!paidPartial' },
    paymentFull: { high: 'confirmed', medium: 'paid', lowMedium: 'paid', low: 'paid' },
    paymentOver: { high: 'confirmed', medium: 'paid', lowMedium: 'paid', low: 'paid' },
    'confirmations(0)': { high: '·', medium: '·', lowMedium: '·', low: '·' },
    'confirmations(1)': { high: '·', medium: '·', lowMedium: '·', low: '·' },
    'confirmations(6)': { high: '·', medium: '·', lowMedium: '·', low: '·' },
    expiry: { high: 'expired', medium: 'expired', lowMedium: 'expired', low: 'expired' },
    latePayment: { high: '·', medium: '·', lowMedium: '·', low: '·' },
    unconfirmedTimeout: { high: '·', medium: '·', lowMedium: '·', low: '·' },
    doubleSpend: { high: '·', medium: '·', lowMedium: '·', low: '·' },
    cancelUnpaid: { high: 'expired', medium: 'expired', lowMedium: 'expired', low: 'expired' },
    cancelPartial: { high: 'declined', medium: 'declined', lowMedium: 'declined', low: 'declined' },
    refundDecline: { high: '×', medium: '×', lowMedium: '×', low: '×' },
    'confirmations(2)': all('·'),
    markComplete: all('complete'),
    markInvalid: all('invalid'),
  },
  paid: {
    paymentPartial: { high: '·', medium: '·', lowMedium: '·', low: '·' },
    paymentFull: { high: '·', medium: '·', lowMedium: '·', low: '·' },
    paymentOver: { high: '!paidOver', medium: '!paidOver', lowMedium: '!paidOver', low: '!paidOver' },
    'confirmations(0)': { high: 'confirmed', medium: '·', lowMedium: '·', low: '·' },
    'confirmations(1)': { high: 'confirmed', medium: 'confirmed', lowMedium: '·', low: '·' },
    'confirmations(2)': { high: 'confirmed', medium: 'confirmed', lowMedium: 'confirmed', low: '·' },
    'confirmations(6)': { high: 'confirmed>complete', medium: 'confirmed>complete', lowMedium: 'confirmed>complete', low: 'complete' },
    expiry: { high: '·', medium: '·', lowMedium: '·', low: '·' },
    latePayment: { high: '·', medium: '·', lowMedium: '·', low: '·' },
    unconfirmedTimeout: { high: 'invalid', medium: 'invalid', lowMedium: 'invalid', low: 'invalid' },
    doubleSpend: { high: 'invalid', medium: 'invalid', lowMedium: 'invalid', low: 'invalid' },
    cancelUnpaid: { high: '×', medium: '×', lowMedium: '×', low: '×' },
    cancelPartial: { high: '×', medium: '×', lowMedium: '×', low: '×' },
    refundDecline: { high: '×', medium: '×', lowMedium: '×', low: '×' },
    markComplete: all('complete'),
    markInvalid: all('invalid'),
  },
  confirmed: {
    paymentPartial: { high: '·', medium: '·', lowMedium: '·', low: '·' },
    paymentFull: { high: '·', medium: '·', lowMedium: '·', low: '·' },
    paymentOver: { high: '!paidOver', medium: '!paidOver', lowMedium: '!paidOver', low: '!paidOver' },
    'confirmations(0)': { high: '·', medium: '·', lowMedium: '·', low: '·' },
    'confirmations(1)': { high: '·', medium: '·', lowMedium: '·', low: '·' },
    'confirmations(6)': { high: 'complete', medium: 'complete', lowMedium: 'complete', low: 'complete' },
    expiry: { high: '·', medium: '·', lowMedium: '·', low: '·' },
    latePayment: { high: '·', medium: '·', lowMedium: '·', low: '·' },
    unconfirmedTimeout: { high: 'invalid', medium: 'invalid', lowMedium: 'invalid', low: 'invalid' },
    doubleSpend: { high: 'invalid', medium: 'invalid', lowMedium: 'invalid', low: 'invalid' },
    cancelUnpaid: { high: '×', medium: '×', lowMedium: '×', low: '×' },
    cancelPartial: { high: '×', medium: '×', lowMedium: '×', low: '×' },
    refundDecline: { high: 'declined', medium: 'declined', lowMedium: 'declined', low: 'declined' },
    'confirmations(2)': all('·'),
    markComplete: all('complete'),
    markInvalid: all('invalid'),
  },
  complete: closedRow({ refundDecline: '·', markInvalid: 'invalid' }),
  expired: closedRow({ latePayment: '!paidLate', markComplete: 'complete', markInvalid: 'invalid' }),
  invalid: closedRow({ 'confirmations(6)': 'complete', markComplete: 'complete' }),
  declined: closedRow({}),
};

describe('invoice state machine', () => {
  it('has a handler for every (status, event) pair', () => {
    const types = new Set<EventType>(EVENTS.map((e) => e.type));
    for (const status of STATUSES) expect(Object.keys(TRANSITIONS[status]).sort(), status).to.deep.equal([...types].sort());
  });

  for (const status of STATUSES) {
    for (const event of EVENTS) {
      for (const speed of SPEEDS) {
        const expected = EXPECTED[status][label(event)]?.[speed];
        it(`${status} + ${label(event)} at ${speed} speed → ${expected}`, () => {
          const outcome = apply({ status, exception: null }, event, { speed, rbf: false });
          let actual: string;
          if (outcome === 'refused') actual = '×';
          else if (outcome.steps.length === 0) actual = '·';
          else if (outcome.steps.every((s) => s.to === status)) actual = `!${outcome.state.exception}`;
          else actual = outcome.steps.map((s) => s.to).join('>');
          expect(actual).to.equal(expected);
        });
      }
    }
  }

  it('clears paidPartial when the total is reached, and keeps the exception through confirmations', () => {
    const paid = apply({ status: 'new', exception: 'paidPartial' }, { type: 'paymentFull' }, { speed: 'medium', rbf: false });
    expect(paid).to.deep.include({ state: { status: 'paid', exception: null } });
    const over = apply({ status: 'new', exception: 'paidPartial' }, { type: 'paymentOver' }, { speed: 'medium', rbf: false });
    expect(over).not.to.equal('refused');
    const confirmed = apply((over as Exclude<typeof over, "refused">).state, { type: 'confirmations', count: 1 }, { speed: 'medium', rbf: false });
    expect(confirmed).to.deep.include({ state: { status: 'confirmed', exception: 'paidOver' } });
  });

  it('waits for a confirmation at high speed when a payment signals RBF', () => {
    expect(statusForConfirmations({ speed: 'high', rbf: true }, 0)).to.equal('paid');
    expect(statusForConfirmations({ speed: 'high', rbf: true }, 1)).to.equal('confirmed');
    expect(statusForConfirmations({ speed: 'high', rbf: false }, 0)).to.equal('confirmed');
    const outcome = apply({ status: 'new', exception: null }, { type: 'paymentFull' }, { speed: 'high', rbf: true });
    expect(outcome).to.deep.include({ state: { status: 'paid', exception: null } });
  });

  describe('settle: facts to transitions', () => {
    const T0 = 1_800_000_000_000;
    const base = (payments: Partial<Payment>[], extra: Partial<InvoiceFacts> = {}): InvoiceFacts => ({
      totalSats: 1000,
      expirationTime: T0 + 900_000,
      speed: 'medium',
      now: T0 + 1000,
      invalidAfterMs: 3_600_000,
      payments: payments.map((p) => ({ amountSats: 1000, confirmations: 0, receivedAt: T0 + 500, rbf: false, doubleSpent: false, ...p })),
      ...extra,
    });
    const path = (facts: InvoiceFacts, status: InvoiceStatus = 'new') => settle({ status, exception: null }, facts);

    it('counts a payment within the tolerance as paid in full, and no payment as none, whatever the tolerance', () => {
      expect(path(base([{ amountSats: 990 }], { acceptedSats: 990 })).state.status).to.equal('paid');
      expect(path(base([{ amountSats: 989 }], { acceptedSats: 990 })).state).to.deep.equal({ status: 'new', exception: 'paidPartial' });
      expect(path(base([], { acceptedSats: 0 })).state).to.deep.equal({ status: 'new', exception: null });
      expect(path(base([], { acceptedSats: 0, now: T0 + 900_001 })).state.status).to.equal('expired');
    });

    it('walks every status a late reconciliation skipped, in order', () => {
      const settled = path(base([{ confirmations: 6 }]));
      expect(settled.steps.map((s) => `${s.from}>${s.to}`)).to.deep.equal(['new>paid', 'paid>confirmed', 'confirmed>complete']);
      expect(settled.dueAt).to.equal(null);
    });

    it('keeps a partly paid invoice new until the window closes, then expires it with paidPartial', () => {
      const partial = path(base([{ amountSats: 400 }]));
      expect(partial.state).to.deep.equal({ status: 'new', exception: 'paidPartial' });
      expect(partial.dueAt).to.equal(T0 + 900_001);
      const expired = settle(partial.state, base([{ amountSats: 400 }], { now: T0 + 900_001 }));
      expect(expired.state).to.deep.equal({ status: 'expired', exception: 'paidPartial' });
    });

    it('takes a payment in the last millisecond of the window, and not one a millisecond later', () => {
      expect(path(base([{ receivedAt: T0 + 900_000 }], { now: T0 + 900_000 })).state.status).to.equal('paid');
      const late = path(base([{ receivedAt: T0 + 900_001 }], { now: T0 + 900_001 }));
      expect(late.state).to.deep.equal({ status: 'expired', exception: 'paidLate' });
      expect(late.amountPaidSats).to.equal(1000);
    });

    it('invalidates a payment unconfirmed past the limit, and schedules that check', () => {
      const paid = path(base([{}]));
      expect(paid.dueAt).to.equal(T0 + 500 + 3_600_000);
      const invalid = settle(paid.state, base([{}], { now: T0 + 500 + 3_600_000 }));
      expect(invalid.steps.map((s) => s.event)).to.deep.equal(['unconfirmedTimeout']);
      expect(invalid.state.status).to.equal('invalid');
    });

    it('invalidates a paid invoice whose payment was double-spent, and clears paidPartial on a new one', () => {
      expect(settle({ status: 'paid', exception: null }, base([{ doubleSpent: true }])).state.status).to.equal('invalid');
      const cleared = settle({ status: 'new', exception: 'paidPartial' }, base([{ amountSats: 400, doubleSpent: true }]));
      expect(cleared.state).to.deep.equal({ status: 'new', exception: null });
    });

    it('flags an overpayment made after the invoice was paid', () => {
      const settled = settle({ status: 'paid', exception: null }, base([{}, { amountSats: 5 }]));
      expect(settled.state).to.deep.equal({ status: 'paid', exception: 'paidOver' });
      expect(settled.amountPaidSats).to.equal(1005);
    });
  });
});
