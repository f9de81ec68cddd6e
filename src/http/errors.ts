import type { Context, Next } from 'koa';
import type { Dialect } from '../dialects/dialect.js';
import { EngineError } from '../errors.js';
import type { Logger } from '../logger.js';

/** The dialect whose shape a request's errors take: the first served one that owns its path, else the fallback. */
export type ErrorShapes = (path: string) => Pick<Dialect, 'errorStatus' | 'errorBody'>;

export function errorShapes(dialects: readonly Dialect[], fallback: Dialect): ErrorShapes {
  return (path) => dialects.find((d) => d.owns(path)) ?? fallback;
}

/** Writes an error on the response in the shape of the request's dialect. */
export function respondWithError(ctx: Context, shapes: ErrorShapes, error: EngineError): void {
  const shape = shapes(ctx.path);
  ctx.status = shape.errorStatus(error);
  ctx.body = shape.errorBody(ctx.method, error);
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

const request = { subject: 'request' } as const;

/** Errors thrown by Koa, the body parser or the router (they carry an HTTP status). */
function fromHttpError(error: HttpLikeError): EngineError | null {
  const status = error.status ?? error.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  if (status === 413 || error.type === 'entity.too.large') return new EngineError('too-large', 'Request body is larger than the 1 MB limit', request);
  if (status === 400 && (error.body !== undefined || error.type === 'entity.parse.failed')) {
    return new EngineError('invalid', `Malformed JSON body: ${error.message ?? 'could not be parsed'}`, request);
  }
  if (status === 415) return new EngineError('unsupported-media', error.message ?? 'Unsupported content type', request);
  return new EngineError('invalid', error.expose && error.message ? error.message : 'Bad request', request);
}

/**
 * A body the parser could not read: its own HTTP errors (too large, malformed JSON, an
 * unsupported encoding) stay as they are; anything else (a body that is not the gzip or br
 * its Content-Encoding says) is the client's fault too, never a 500.
 */
export function unreadableBody(error: unknown): unknown {
  const status = (error as HttpLikeError).status ?? (error as HttpLikeError).statusCode;
  if (typeof status === 'number') return error;
  return new EngineError('invalid', `The body could not be decoded as its Content-Encoding says: ${(error as Error).message ?? 'unreadable'}`, request);
}

/**
 * The one place a failure becomes a response: always JSON in the shape of the request's
 * dialect, never a stack trace. Unexpected faults are logged with the request id and answered 500.
 */
export function errorMapper(logger: Logger, shapes: ErrorShapes) {
  return async function mapErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (thrown) {
      const known = thrown instanceof EngineError ? thrown : fromHttpError(thrown as HttpLikeError);
      const requestId = ctx.state.requestId as string | undefined;
      if (!known) {
        const fault = thrown as Error;
        logger.error('unhandled error', { requestId, error: fault?.message, stack: fault?.stack });
      }
      const error =
        known ??
        new EngineError('fault', `Internal error; the emulator's log has the details under request id ${requestId}`, { subject: 'request', details: { requestId } });
      respondWithError(ctx, shapes, error);
    }
  };
}

/**
 * The router answers a known path with an unsupported method by setting 405 (or 501 for a
 * method it does not know, such as TRACE) and an Allow header, without a body; and an OPTIONS
 * request with 200 and no body. All three become a 405 with a JSON body. (OPTIONS on BitPay's
 * paths never gets here: http/cors.ts answers it as a CORS preflight, 204.)
 */
export function methodErrors(shapes: ErrorShapes) {
  return async function refuseMethod(ctx: Context, next: Next): Promise<void> {
    await next();
    const bareOptions = ctx.method === 'OPTIONS' && ctx.status === 200 && !ctx.body;
    if (ctx.status !== 405 && ctx.status !== 501 && !bareOptions) return;
    const allowed = ctx.response.get('Allow');
    const message = `Method ${ctx.method} is not allowed on ${ctx.path}${allowed ? `; allowed: ${allowed}` : ''}`;
    respondWithError(ctx, shapes, new EngineError('method-not-allowed', message, request));
  };
}
