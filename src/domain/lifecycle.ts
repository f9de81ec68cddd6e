import type { ExceptionStatus, InvoiceStatus, TransactionSpeed } from './invoice.js';

/**
 * The invoice state machine (DESIGN.md "Invoice lifecycle", BITPAY-WIRE §4.3). Pure: facts in,
 * transitions out. `derive` turns what is on the chain and the time into events; `TRANSITIONS`
 * says what each event does in each status; `settle` applies events until nothing changes.
 */

/** Confirmations after which every invoice is complete (BTC). */
export const COMPLETE_CONFIRMATIONS = 6;

export type LifecycleEvent =
  /** On-time payments cover part of the total. */
  | { type: 'paymentPartial' }
  /** On-time payments cover the total exactly. */
  | { type: 'paymentFull' }
  /** Payments cover more than the total. */
  | { type: 'paymentOver' }
  /** The least-confirmed payment that counts toward the total has `count` confirmations. */
  | { type: 'confirmations'; count: number }
  /** The acceptance window closed before full payment. */
  | { type: 'expiry' }
  /** A payment arrived after the acceptance window closed. */
  | { type: 'latePayment' }
  /** A counted payment is still unconfirmed past the limit (1 h by default). */
  | { type: 'unconfirmedTimeout' }
  /** A counted payment was double-spent; what remains does not cover the total. */
  | { type: 'doubleSpend' }
  /** The merchant cancelled an unpaid invoice. */
  | { type: 'cancelUnpaid' }
  /** The merchant cancelled a partly paid invoice (refund due). */
  | { type: 'cancelPartial' }
  /** A refund was requested for a confirmed invoice (BITPAY-WIRE §3.2). */
  | { type: 'refundDecline' }
  /** The merchant marked the invoice settled by hand. */
  | { type: 'markComplete' }
  /** The merchant marked the invoice invalid by hand. */
  | { type: 'markInvalid' };

export type EventType = LifecycleEvent['type'];

export interface LifecycleState {
  status: InvoiceStatus;
  exception: ExceptionStatus | null;
}

export interface SpeedPolicy {
  speed: TransactionSpeed;
  /** A counted payment signals replace-by-fee: high speed then waits for a confirmation. */
  rbf: boolean;
}

/** One recorded change: a status change, or an exception-status change within a status. */
export interface Step {
  event: EventType;
  from: InvoiceStatus;
  to: InvoiceStatus;
  exception: ExceptionStatus | null;
}

type Handler = (state: LifecycleState, event: LifecycleEvent, policy: SpeedPolicy) => LifecycleState[] | 'ignore' | 'refuse';

const ORDER: InvoiceStatus[] = ['paid', 'confirmed', 'complete'];

/** Confirmations after which a payment settles an invoice at each speed (low: only when complete). */
const SETTLING_CONFIRMATIONS: Record<TransactionSpeed, number> = { high: 0, medium: 1, lowMedium: 2, low: COMPLETE_CONFIRMATIONS };

/** Confirmations after which one payment is settled: a payment signalling RBF waits for one at high speed. */
export function settlingConfirmations(policy: SpeedPolicy): number {
  return policy.speed === 'high' && policy.rbf ? 1 : SETTLING_CONFIRMATIONS[policy.speed];
}

/** Where a paid invoice stands for its speed, given the confirmations of its payments. */
export function statusForConfirmations(policy: SpeedPolicy, confirmations: number): 'paid' | 'confirmed' | 'complete' {
  if (confirmations >= COMPLETE_CONFIRMATIONS) return 'complete';
  return confirmations >= settlingConfirmations(policy) ? 'confirmed' : 'paid';
}

/** Whether the speed passes through a status: high skips paid (unless RBF), low skips confirmed. */
function speedVisits(policy: SpeedPolicy, status: InvoiceStatus): boolean {
  if (status === 'paid') return !(policy.speed === 'high' && !policy.rbf);
  if (status === 'confirmed') return policy.speed !== 'low';
  return true;
}

/** The statuses walked from `from` up to `target`, skipping the ones the speed skips. */
function advance(state: LifecycleState, target: InvoiceStatus, policy: SpeedPolicy): LifecycleState[] | 'ignore' {
  const start = state.status === 'new' || state.status === 'invalid' ? -1 : ORDER.indexOf(state.status);
  const end = ORDER.indexOf(target);
  if (end <= start) return 'ignore';
  const path = ORDER.slice(start + 1, end + 1).filter((s, i, all) => i === all.length - 1 || speedVisits(policy, s));
  return path.map((status) => ({ status, exception: state.exception }));
}

const ignore: Handler = () => 'ignore';
const refuse: Handler = () => 'refuse';
const to =
  (status: InvoiceStatus, exception?: ExceptionStatus | null): Handler =>
  (state) => [{ status, exception: exception === undefined ? state.exception : exception }];
const flag =
  (exception: ExceptionStatus | null): Handler =>
  (state) => (state.exception === exception ? 'ignore' : [{ status: state.status, exception }]);
const paidInFull =
  (exception: ExceptionStatus | null): Handler =>
  (_state, _event, policy) =>
    advance({ status: 'new', exception }, statusForConfirmations(policy, 0), policy);
const confirm: Handler = (state, event, policy) =>
  advance(state, statusForConfirmations(policy, (event as { count: number }).count), policy);
const confirmAfterInvalid: Handler = (state, event) =>
  (event as { count: number }).count >= COMPLETE_CONFIRMATIONS ? [{ status: 'complete', exception: state.exception }] : 'ignore';
const markComplete = to('complete', 'marked');
const markInvalid = to('invalid', 'marked');

/** A closed invoice ignores what happens on the chain and refuses merchant commands. */
const closed: Record<EventType, Handler> = {
  paymentPartial: ignore,
  paymentFull: ignore,
  paymentOver: ignore,
  confirmations: ignore,
  expiry: ignore,
  latePayment: ignore,
  unconfirmedTimeout: ignore,
  doubleSpend: ignore,
  cancelUnpaid: refuse,
  cancelPartial: refuse,
  refundDecline: refuse,
  markComplete: refuse,
  markInvalid: refuse,
};

/**
 * Every (status, event) pair. 'ignore' leaves the invoice as it is; 'refuse' marks a merchant
 * command that the status does not allow (the engine answers 040107).
 */
export const TRANSITIONS: Record<InvoiceStatus, Record<EventType, Handler>> = {
  new: {
    paymentPartial: flag('paidPartial'),
    paymentFull: paidInFull(null),
    paymentOver: paidInFull('paidOver'),
    confirmations: ignore,
    expiry: to('expired'),
    latePayment: ignore,
    unconfirmedTimeout: ignore,
    doubleSpend: flag(null),
    cancelUnpaid: to('expired'),
    cancelPartial: to('declined'),
    refundDecline: refuse,
    markComplete,
    markInvalid,
  },
  paid: {
    paymentPartial: ignore,
    paymentFull: ignore,
    paymentOver: flag('paidOver'),
    confirmations: confirm,
    expiry: ignore,
    latePayment: ignore,
    unconfirmedTimeout: to('invalid'),
    doubleSpend: to('invalid'),
    cancelUnpaid: refuse,
    cancelPartial: refuse,
    refundDecline: refuse,
    markComplete,
    markInvalid,
  },
  confirmed: {
    paymentPartial: ignore,
    paymentFull: ignore,
    paymentOver: flag('paidOver'),
    confirmations: confirm,
    expiry: ignore,
    latePayment: ignore,
    unconfirmedTimeout: to('invalid'),
    doubleSpend: to('invalid'),
    cancelUnpaid: refuse,
    cancelPartial: refuse,
    refundDecline: to('declined'),
    markComplete,
    markInvalid,
  },
  complete: { ...closed, refundDecline: ignore, markInvalid },
  expired: { ...closed, latePayment: flag('paidLate'), markComplete, markInvalid },
  invalid: { ...closed, confirmations: confirmAfterInvalid, markComplete },
  declined: closed,
};

export type Applied = { state: LifecycleState; steps: Step[] } | 'refused';

/** Applies one event. */
export function apply(state: LifecycleState, event: LifecycleEvent, policy: SpeedPolicy): Applied {
  const outcome = TRANSITIONS[state.status][event.type](state, event, policy);
  if (outcome === 'refuse') return 'refused';
  if (outcome === 'ignore') return { state, steps: [] };
  const steps: Step[] = [];
  let current = state;
  for (const next of outcome) {
    steps.push({ event: event.type, from: current.status, to: next.status, exception: next.exception });
    current = next;
  }
  return { state: current, steps };
}

export interface Payment {
  amountSats: number;
  confirmations: number;
  receivedAt: number;
  rbf: boolean;
  doubleSpent: boolean;
}

export interface InvoiceFacts {
  totalSats: number;
  /** The least that counts as paid in full (the total less the payment tolerance); the total when absent. */
  acceptedSats?: number;
  /** The last millisecond at which the invoice can be paid. */
  expirationTime: number;
  speed: TransactionSpeed;
  payments: Payment[];
  now: number;
  /** How long a full payment may stay unconfirmed before the invoice is invalid. */
  invalidAfterMs: number;
}

interface Counted {
  /** Payments received in the window, not double-spent, in arrival order. */
  onTime: Payment[];
  onTimeSats: number;
  allSats: number;
  late: boolean;
  /** When the on-time payments first covered the total. */
  paidInFullAt: number | null;
}

function requiredSats(facts: InvoiceFacts): number {
  return facts.acceptedSats ?? facts.totalSats;
}

function count(facts: InvoiceFacts): Counted {
  const valid = facts.payments.filter((p) => !p.doubleSpent).sort((a, b) => a.receivedAt - b.receivedAt);
  const onTime = valid.filter((p) => p.receivedAt <= facts.expirationTime);
  let running = 0;
  let paidInFullAt: number | null = null;
  for (const payment of onTime) {
    running += payment.amountSats;
    if (paidInFullAt === null && running > 0 && running >= requiredSats(facts)) paidInFullAt = payment.receivedAt;
  }
  return {
    onTime,
    onTimeSats: running,
    allSats: valid.reduce((sum, p) => sum + p.amountSats, 0),
    late: valid.some((p) => p.receivedAt > facts.expirationTime),
    paidInFullAt,
  };
}

/** The policy in force: RBF counts if any payment toward the total signals it. */
export function policyFor(facts: InvoiceFacts): SpeedPolicy {
  return { speed: facts.speed, rbf: count(facts).onTime.some((p) => p.rbf) };
}

/** The events that the facts imply for an invoice in `state`. */
export function derive(state: LifecycleState, facts: InvoiceFacts): LifecycleEvent[] {
  const c = count(facts);
  // A tolerance of 100 % accepts any payment, never none.
  const covered = c.onTimeSats > 0 && c.onTimeSats >= requiredSats(facts);
  const confirmations = Math.min(...c.onTime.map((p) => p.confirmations));
  switch (state.status) {
    case 'new':
      if (covered) return [{ type: c.allSats > facts.totalSats ? 'paymentOver' : 'paymentFull' }];
      if (facts.now > facts.expirationTime) return [{ type: 'expiry' }];
      if (c.onTimeSats > 0) return [{ type: 'paymentPartial' }];
      return state.exception === 'paidPartial' ? [{ type: 'doubleSpend' }] : [];
    case 'paid':
    case 'confirmed': {
      if (!covered) return [{ type: 'doubleSpend' }];
      const events: LifecycleEvent[] = [];
      if (c.allSats > facts.totalSats) events.push({ type: 'paymentOver' });
      events.push({ type: 'confirmations', count: confirmations });
      const deadline = (c.paidInFullAt as number) + facts.invalidAfterMs;
      if (confirmations === 0 && facts.now >= deadline) events.push({ type: 'unconfirmedTimeout' });
      return events;
    }
    case 'invalid':
      // An invoice the merchant marked invalid stays so, whatever the chain does.
      return covered && state.exception !== 'marked' ? [{ type: 'confirmations', count: confirmations }] : [];
    case 'expired':
      return c.late ? [{ type: 'latePayment' }] : [];
    default:
      return [];
  }
}

export interface Settled {
  state: LifecycleState;
  steps: Step[];
  amountPaidSats: number;
  /** When time alone will next change the invoice (expiry, invalidation), or null. */
  dueAt: number | null;
}

/** Applies the implied events until the invoice is stable: one reconciliation. */
export function settle(initial: LifecycleState, facts: InvoiceFacts): Settled {
  const policy = policyFor(facts);
  let state = initial;
  const steps: Step[] = [];
  for (let round = 0; round < 8; round++) {
    let changed = false;
    for (const event of derive(state, facts)) {
      const applied = apply(state, event, policy);
      if (applied === 'refused' || applied.steps.length === 0) continue;
      steps.push(...applied.steps);
      state = applied.state;
      changed = true;
    }
    if (!changed) break;
  }
  const c = count(facts);
  return { state, steps, amountPaidSats: c.allSats, dueAt: dueAt(state, facts, c) };
}

function dueAt(state: LifecycleState, facts: InvoiceFacts, c: Counted): number | null {
  if (state.status === 'new') return facts.expirationTime + 1;
  if ((state.status === 'paid' || state.status === 'confirmed') && c.paidInFullAt !== null) {
    if (c.onTime.some((p) => p.confirmations === 0)) return c.paidInFullAt + facts.invalidAfterMs;
  }
  return null;
}
