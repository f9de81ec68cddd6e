import type { Context, Next } from 'koa';
import { AppError, type ErrorResource } from '../errors.js';
import type { Logger } from '../logger.js';

const METHOD_PREFIX: Record<string, string> = { POST: '01', GET: '02', PUT: '03', DELETE: '04' };
const RESOURCE_DIGITS = { unmapped: '00', invoice: '01', refund: '02' } as const;

/** The resource a path addresses, for errors raised before a route has run (`/invoices/…` → invoice). */
export function resourceOfPath(path: string): ErrorResource {
  const first = /^\/([^/]*)/.exec(path)?.[1]?.toLowerCase();
  if (first === 'invoices') return 'invoice';
  if (first === 'refunds') return 'refund';
  return 'unmapped';
}

/** BitPay's six-digit code: method (01 POST, 02 GET, 03 PUT, 04 DELETE), resource, error. */
export function errorCode(method: string, error: AppError): string {
  const resource = RESOURCE_DIGITS[error.options.resource ?? 'unmapped'];
  return `${METHOD_PREFIX[method] ?? '00'}${resource}${error.options.suffix ?? '00'}`;
}

export function errorBody(method: string, error: AppError): Record<string, unknown> {
  if (error.isLegacy) return { error: error.message, ...error.options.details };
  return { status: 'error', code: errorCode(method, error), data: null, error: error.message, ...error.options.details };
}

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
  message?: string;
  /** co-body attaches the unparsable text to JSON syntax errors. */
  body?: unknown;
}

/** Errors thrown by Koa, the body parser or the router (they carry an HTTP status). */
function fromHttpError(error: HttpLikeError): AppError | null {
  const status = error.status ?? error.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  if (status === 413 || error.type === 'entity.too.large') {
    return new AppError('Request body is larger than the 1 MB limit', { status: 413, resource: 'unmapped', suffix: '02' });
  }
  if (status === 400 && (error.body !== undefined || error.type === 'entity.parse.failed')) {
    return new AppError(`Malformed JSON body: ${error.message ?? 'could not be parsed'}`, {
      status: 400,
      resource: 'unmapped',
      suffix: '02',
    });
  }
  if (status === 415) return new AppError(error.message ?? 'Unsupported content type', { status, resource: 'unmapped', suffix: '02' });
  return new AppError(error.expose && error.message ? error.message : 'Bad request', { status, resource: 'unmapped', suffix: '02' });
}

/**
 * A body the parser could not read: its own HTTP errors (too large, malformed JSON, an
 * unsupported encoding) stay as they are; anything else (a body that is not the gzip or br
 * its Content-Encoding says) is the client's fault too, never a 500.
 */
export function unreadableBody(error: unknown): unknown {
  const status = (error as HttpLikeError).status ?? (error as HttpLikeError).statusCode;
  if (typeof status === 'number') return error;
  return new AppError(`The body could not be decoded as its Content-Encoding says: ${(error as Error).message ?? 'unreadable'}`, {
    status: 400,
    resource: 'unmapped',
    suffix: '02',
  });
}

/**
 * The one place a failure becomes a response: always JSON in BitPay's shape, never a stack
 * trace. Unexpected faults are logged with the request id and answered 500.
 */
export function errorMapper(logger: Logger) {
  return async function mapErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (thrown) {
      const known = thrown instanceof AppError ? thrown : fromHttpError(thrown as HttpLikeError);
      const requestId = ctx.state.requestId as string | undefined;
      const error =
        known ??
        new AppError(`Internal error; the emulator's log has the details under request id ${requestId}`, {
          status: 500,
          resource: 'unmapped',
          suffix: '00',
          details: { requestId },
        });
      if (!known) {
        const fault = thrown as Error;
        logger.error('unhandled error', { requestId, error: fault?.message, stack: fault?.stack });
      }
      ctx.status = error.options.status;
      ctx.body = errorBody(ctx.method, error);
    }
  };
}

/**
 * The router answers a known path with an unsupported method by setting 405 (or 501 for a
 * method it does not know, such as TRACE) and an Allow header, without a body; and an OPTIONS
 * request with 200 and no body. All three become a 405 with a JSON body. (OPTIONS on BitPay's
 * paths never gets here: http/cors.ts answers it as a CORS preflight, 204.)
 */
export async function methodErrors(ctx: Context, next: Next): Promise<void> {
  await next();
  const bareOptions = ctx.method === 'OPTIONS' && ctx.status === 200 && !ctx.body;
  if (ctx.status !== 405 && ctx.status !== 501 && !bareOptions) return;
  const allowed = ctx.response.get('Allow');
  const error = new AppError(`Method ${ctx.method} is not allowed on ${ctx.path}${allowed ? `; allowed: ${allowed}` : ''}`, {
    status: 405,
    resource: 'unmapped',
    suffix: '01',
  });
  ctx.body = errorBody(ctx.method, error);
  ctx.status = error.options.status;
}
