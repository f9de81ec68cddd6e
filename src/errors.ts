/**
 * Failures that reach a client. They carry BitPay's vocabulary (resource and error suffix of the
 * six-digit code); http/errors.ts adds the method prefix and writes the JSON.
 */

/** Middle two digits of BitPay's error codes. */
export type ErrorResource = 'unmapped' | 'invoice' | 'refund';

export interface AppErrorOptions {
  status: number;
  /** Coded errors (`{"status":"error","code",…}`) have a resource; legacy errors (`{"error"}`) do not. */
  resource?: ErrorResource;
  /** Last two digits of the code: 01 not found, 02 invalid, 03 missing, or a resource-specific one. */
  suffix?: string;
  /** Extra fields in the JSON body that help a developer, e.g. what the signature should cover. */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  constructor(
    message: string,
    readonly options: AppErrorOptions,
  ) {
    super(message);
  }

  get isLegacy(): boolean {
    return this.options.resource === undefined;
  }
}

export const notFound = (resource: ErrorResource, message: string) =>
  new AppError(message, { status: 404, resource, suffix: '01' });

export const invalidParam = (resource: ErrorResource, message: string) =>
  new AppError(message, { status: 400, resource, suffix: '02' });

export const missingParam = (resource: ErrorResource, message: string) =>
  new AppError(message, { status: 400, resource, suffix: '03' });

/** A request refused because of the resource's state (e.g. 040107 invalid invoice state for cancel). */
export const stateError = (resource: ErrorResource, suffix: string, message: string) =>
  new AppError(message, { status: 409, resource, suffix });

/** A resource-specific code, e.g. 030112 invalid SMS number. */
export const codedError = (resource: ErrorResource, suffix: string, status: number, message: string) =>
  new AppError(message, { status, resource, suffix });

/** BitPay's legacy `{"error": "…"}` form, used for tokens, pairing and authentication. */
export const legacyError = (status: number, message: string, details?: Record<string, unknown>) =>
  new AppError(message, details ? { status, details } : { status });
