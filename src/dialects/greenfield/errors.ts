import { USUAL_HTTP_STATUS, type EngineError, type ErrorKind } from '../../errors.js';

/** On Greenfield's paths a request the state refuses is 422, as BTCPay Server answers it. */
const STATUS: Record<ErrorKind, number> = { ...USUAL_HTTP_STATUS, conflict: 422 };

/** BTCPay's `code` for each kind where the reason does not give one. */
const CODE: Record<ErrorKind, string> = {
  'not-found': 'not-found',
  invalid: 'invalid-request',
  missing: 'invalid-request',
  conflict: 'invalid-state',
  unauthenticated: 'unauthenticated',
  forbidden: 'missing-permission',
  'rate-limited': 'rate-limited',
  'too-large': 'request-too-large',
  'unsupported-media': 'unsupported-media-type',
  'method-not-allowed': 'method-not-allowed',
  'headers-too-large': 'headers-too-large',
  timeout: 'timeout',
  fault: 'server-error',
};

/** A field error is a validation problem: 422 with BTCPay's `[{path, message}]`. */
export function errorStatus(error: EngineError): number {
  if (error.options.field && (error.kind === 'invalid' || error.kind === 'missing' || error.kind === 'conflict')) return 422;
  return STATUS[error.kind];
}

/**
 * BTCPay's error bodies: `[{path, message}]` for validation, `{code, message}` otherwise, with
 * `<resource>-not-found` codes (`invoice-not-found`, `store-not-found`).
 */
export function errorBody(_method: string, error: EngineError): unknown {
  const { field, reason, details } = error.options;
  if (errorStatus(error) === 422 && field) return [{ path: field.path, message: field.problem }];
  const code = reason ?? (error.kind === 'not-found' && error.subject !== 'request' && error.subject !== 'credential' ? `${error.subject}-not-found` : CODE[error.kind]);
  return { code, message: error.message, ...details };
}
