import { USUAL_HTTP_STATUS, type EngineError, type ErrorKind, type ErrorSubject } from '../../errors.js';

const METHOD_PREFIX: Record<string, string> = { POST: '01', GET: '02', PUT: '03', DELETE: '04' };
/** Resource digits: invoice 01 and refund 02 are BitPay's; the others are the emulator's choice (README compatibility notes). */
const SUBJECT_DIGITS: Record<ErrorSubject, string> = { request: '00', credential: '00', invoice: '01', refund: '02', bill: '03', recipient: '04', payout: '05', settlement: '06' };

/** The last two digits by kind: 01 not found, 02 invalid, 03 missing. */
const KIND_SUFFIX: Partial<Record<ErrorKind, string>> = { 'not-found': '01', 'method-not-allowed': '01', missing: '03', fault: '00' };

/** Rules with codes of their own (BITPAY-WIRE §1.5), by subject and reason. */
const REASON_SUFFIX: Record<string, string> = {
  'invoice:cancel-refused': '07',
  'invoice:contact-missing': '08',
  'invoice:price-below-minimum': '10',
  'invoice:price-above-maximum': '11',
  'invoice:sms-number': '12',
  'invoice:sms-code-mismatch': '13',
  'invoice:email-already-set': '15',
  'invoice:state': '17',
  'refund:active-refund-exists': '04',
  'refund:refused': '07',
  'refund:fees-exceed-amount': '08',
};

/** The usual status of each kind (BitPay answers its legacy errors with 500; see the README's compatibility notes). */
export function errorStatus(error: EngineError): number {
  return USUAL_HTTP_STATUS[error.kind];
}

/** BitPay's six-digit code: method (01 POST, 02 GET, 03 PUT, 04 DELETE), resource, error. */
export function errorCode(method: string, error: EngineError): string {
  const suffix = REASON_SUFFIX[`${error.subject}:${error.reason}`] ?? KIND_SUFFIX[error.kind] ?? '02';
  return `${METHOD_PREFIX[method] ?? '00'}${SUBJECT_DIGITS[error.subject]}${suffix}`;
}

/**
 * BitPay's v2 error, `{"status":"error","code":"010103","data":null,"error":"…"}`, or its
 * legacy `{"error":"…"}` for tokens, pairing and authentication.
 */
export function errorBody(method: string, error: EngineError): Record<string, unknown> {
  if (error.subject === 'credential') return { error: error.message, ...error.options.details };
  return { status: 'error', code: errorCode(method, error), data: null, error: error.message, ...error.options.details };
}
