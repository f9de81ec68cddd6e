/**
 * Failures that reach a client, in the engine's words: a kind, the subject it concerns and, where
 * the kind alone does not say enough, a machine-readable reason. Each dialect's error writer
 * turns them into its wire shape and HTTP status (dialects/<name>/errors.ts).
 */

export type ErrorKind =
  | 'not-found'
  | 'invalid'
  | 'missing'
  /** The request is well formed, but the state of what it addresses does not allow it. */
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate-limited'
  | 'too-large'
  | 'unsupported-media'
  | 'method-not-allowed'
  | 'headers-too-large'
  | 'timeout'
  | 'fault';

/** The HTTP status each kind takes unless a dialect says otherwise. */
export const USUAL_HTTP_STATUS: Readonly<Record<ErrorKind, number>> = {
  'not-found': 404,
  invalid: 400,
  missing: 400,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  'rate-limited': 429,
  'too-large': 413,
  'unsupported-media': 415,
  'method-not-allowed': 405,
  'headers-too-large': 431,
  timeout: 408,
  fault: 500,
};

/** What an error is about: an invoice, a refund, a payout, a recipient, a settlement, a bill, a credential (token, pairing, sign-in), or the request as such. */
export type ErrorSubject = 'invoice' | 'refund' | 'payout' | 'recipient' | 'settlement' | 'bill' | 'credential' | 'request';

export interface EngineErrorOptions {
  subject: ErrorSubject;
  /** Names the rule that refused the request, e.g. `price-below-minimum`; kebab-case, stable. */
  reason?: string;
  /** Extra fields that help a developer, e.g. what a signature should have covered. */
  details?: Record<string, unknown>;
  /** The request field at fault (`checkout.speedPolicy`) and what is wrong with it, for dialects that report per field. */
  field?: { path: string; problem: string };
}

export class EngineError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly options: EngineErrorOptions,
  ) {
    super(message);
  }

  get subject(): ErrorSubject {
    return this.options.subject;
  }

  get reason(): string | undefined {
    return this.options.reason;
  }
}

export const notFound = (subject: ErrorSubject, message: string) => new EngineError('not-found', message, { subject });

export const invalidParam = (subject: ErrorSubject, message: string, reason?: string) =>
  new EngineError('invalid', message, reason ? { subject, reason } : { subject });

export const missingParam = (subject: ErrorSubject, message: string) => new EngineError('missing', message, { subject });

/** A field of the request is invalid (or, `missing`, absent): "Invalid parameter <path>: <problem>". */
export const invalidField = (subject: ErrorSubject, path: string, problem: string, kind: 'invalid' | 'missing' = 'invalid') =>
  new EngineError(kind, kind === 'missing' ? `Missing required parameter: ${path}` : `Invalid parameter ${path}: ${problem}`, { subject, field: { path, problem } });

/** Refused because of the state of what the request addresses (`reason` names the rule). */
export const conflict = (subject: ErrorSubject, reason: string, message: string) => new EngineError('conflict', message, { subject, reason });

/** About a credential: a token, a pairing code, a signature, the sandbox token. */
export const credentialError = (kind: ErrorKind, message: string, details?: Record<string, unknown>) =>
  new EngineError(kind, message, details ? { subject: 'credential', details } : { subject: 'credential' });
