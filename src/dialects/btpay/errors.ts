import { USUAL_HTTP_STATUS, type EngineError, type ErrorKind } from '../../errors.js';

/** Seed 001's codes: 400 for anything wrong with the request, including a state that refuses it. */
const STATUS: Record<ErrorKind, number> = { ...USUAL_HTTP_STATUS, conflict: 400, missing: 400 };

export function errorStatus(error: EngineError): number {
  return STATUS[error.kind];
}

/** Every error is `{"error": "…"}`. */
export function errorBody(_method: string, error: EngineError): unknown {
  return { error: error.message };
}
