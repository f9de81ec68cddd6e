import { FACADES, isFacade, type Facade } from './facades.js';

/** BitPay pairing codes are valid for 24 hours. */
export const PAIRING_CODE_TTL_MS = 24 * 60 * 60 * 1000;

export const LABEL_MAX_LENGTH = 60;

export const TOKEN_STATUSES = ['pending', 'active', 'revoked'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];
const LABEL_PATTERN = /^[A-Za-z0-9 _.\-]+$/;
const PAIRING_CODE_PATTERN = /^[A-Za-z0-9]{7}$/;

/** A rule broken by a pairing request, phrased for the client. */
export class PairingRuleError extends Error {}

export function checkLabel(label: unknown): string | null {
  if (label === undefined || label === null || label === '') return null;
  if (typeof label !== 'string') throw new PairingRuleError('label must be a string');
  if (label.length > LABEL_MAX_LENGTH) {
    throw new PairingRuleError(`label must be at most ${LABEL_MAX_LENGTH} characters`);
  }
  if (!LABEL_PATTERN.test(label)) {
    throw new PairingRuleError('label may contain only letters, digits, spaces, "_", "-" and "."');
  }
  return label;
}

export function checkFacade(facade: unknown, fallback: Facade): Facade {
  if (facade === undefined || facade === null || facade === '') return fallback;
  if (!isFacade(facade)) {
    throw new PairingRuleError(`facade must be one of ${FACADES.join(', ')} (got ${JSON.stringify(facade)})`);
  }
  return facade;
}

export function checkPairingCodeFormat(code: unknown): string {
  if (typeof code !== 'string' || !PAIRING_CODE_PATTERN.test(code)) {
    throw new PairingRuleError('pairingCode must be 7 letters or digits');
  }
  return code;
}

export interface PairingState {
  status: 'pending' | 'active' | 'revoked';
  pairing_expires_at: number | null;
  paired_at: number | null;
}

/** Why a pairing code can no longer be used at `now`, or null when it can. */
export function pairingCodeProblem(state: PairingState, now: number): string | null {
  if (state.status === 'revoked') return 'has been revoked';
  if (state.paired_at !== null) return 'has already been used';
  if (state.pairing_expires_at !== null && now >= state.pairing_expires_at) return 'has expired (codes are valid for 24 hours)';
  return null;
}
