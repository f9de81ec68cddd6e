import Koa, { type Next } from 'koa';
import bodyParser from 'koa-bodyparser';
import Router from '@koa/router';
import type { EngineContext } from '../engine/context.js';
import type { Sandbox } from '../sandbox/controls.js';
import type { Logger } from '../logger.js';
import type { AppContext, AppState } from './context.js';
import { cors } from './cors.js';
import type { Dialect } from '../dialects/dialect.js';
import { errorMapper, methodErrors, respondWithError, unreadableBody, type ErrorShapes } from './errors.js';
import { createSandboxKey } from './sandbox/guard.js';
import { sandboxRoutes } from './sandbox/routes.js';
import { apiDocsRoutes } from './web/api-docs.js';
import { refuseUnacceptableBody, refuseUnstorableUrl } from './validate.js';
import { checkoutRoutes } from './web/checkout.js';
import { dashboardRoutes } from './web/dashboard.js';
import { dashboardMoneyRoutes } from './web/dashboard-money.js';
import { dashboardWebhookRoutes } from './web/dashboard-webhooks.js';
import { modalScriptRoutes } from './web/modal.js';
import { paymentLinkRoutes } from './web/payment-link.js';
import { billPageRoutes } from './web/bill.js';
import { EngineError } from '../errors.js';
import { systemRandom } from '../domain/ids.js';

export const BODY_LIMIT = '1mb';

const CHECKOUT_POLL = /^\/i\/[^/]+\/status$/;

/** One structured log line per request, with the id that the error body also carries. */
function requestLog(logger: Logger) {
  return async function logRequest(ctx: AppContext, next: Next): Promise<void> {
    const started = process.hrtime.bigint();
    ctx.state.requestId = systemRandom.bytes(6).toString('hex');
    ctx.set('X-Request-Id', ctx.state.requestId);
    try {
      await next();
    } finally {
      // The checkout page polls its status every second: that is detail, not news.
      const log = CHECKOUT_POLL.test(ctx.path) ? logger.debug : logger.info;
      log('request', {
        requestId: ctx.state.requestId,
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      });
    }
  };
}

/** As HTTP/1.1 frames a request body: a Transfer-Encoding, or a Content-Length above 0. */
function hasBody(ctx: AppContext): boolean {
  const { headers } = ctx.req;
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

/**
 * Sets (rather than throws) the 404 so that the router's allowedMethods, which runs after it,
 * can still turn a known path with the wrong method into a 405.
 */
function notFoundRoute(shapes: ErrorShapes) {
  return (ctx: AppContext): void => respondWithError(ctx, shapes, new EngineError('not-found', `No such endpoint: ${ctx.method} ${ctx.path}`, { subject: 'request' }));
}

/**
 * A request target no URL parser can read (`GET http://[::1/rates`) would make every later
 * `ctx.path` throw, even in the error mapper: it is answered here, first.
 */
function refuseUnreadableTarget(shapes: ErrorShapes) {
  return async function checkTarget(ctx: AppContext, next: Next): Promise<void> {
    try {
      void ctx.path;
    } catch {
      const shape = shapes('/');
      const error = new EngineError('invalid', 'Invalid request target: it is not a path or an absolute URL', { subject: 'request' });
      ctx.status = shape.errorStatus(error);
      ctx.body = shape.errorBody(ctx.method, error);
      return;
    }
    if (!ctx.get('host') && ctx.req.httpVersion === '1.1') {
      return respondWithError(ctx, shapes, new EngineError('invalid', 'Missing Host header: HTTP/1.1 requests must name the host', { subject: 'request' }));
    }
    await next();
  };
}

export interface AppDependencies {
  engine: EngineContext;
  sandbox: Sandbox;
  publicUrl: () => string;
  /** The dialects served (DIALECTS), each mounted with its routes. */
  dialects: readonly Dialect[];
  /** Which dialect's shape a request's errors take. */
  shapes: ErrorShapes;
}

export function createApp({ engine, sandbox, publicUrl, dialects, shapes }: AppDependencies): Koa<AppState> {
  const app = new Koa<AppState>();
  app.silent = true;
  app.use(refuseUnreadableTarget(shapes));
  app.use(requestLog(engine.logger));
  app.use(errorMapper(engine.logger, shapes));
  app.use(cors);
  app.use(refuseUnstorableUrl);
  const parseBody = bodyParser({
    enableTypes: ['json', 'form'],
    jsonLimit: BODY_LIMIT,
    formLimit: BODY_LIMIT,
    strict: true,
    // SDKs send application/json; a body with any other non-form type is still read as JSON
    // so that it is either understood or refused with a clear error, never silently dropped.
    detectJSON: (ctx) => !ctx.request.is('urlencoded', 'multipart'),
    onerror: (error) => {
      throw unreadableBody(error);
    },
  });
  // Most GETs have no body at all: nothing to read or parse.
  app.use((ctx, next) => (hasBody(ctx) ? parseBody(ctx, next) : next()));
  app.use(refuseUnacceptableBody);
  const root = new Router<AppState>();
  const sandboxKey = createSandboxKey(engine.config.sandboxToken, engine.config.publicUrl);
  for (const router of [
    ...dialects.flatMap((dialect) => dialect.routes({ engine, sandbox, publicUrl, sandboxKey })),
    sandboxRoutes(engine, sandbox, sandboxKey, dialects),
    checkoutRoutes(engine, sandbox, sandboxKey, dialects),
    paymentLinkRoutes(engine, dialects),
    billPageRoutes(engine, dialects),
    dashboardRoutes(engine, sandbox, sandboxKey, dialects),
    dashboardMoneyRoutes(engine, sandbox, sandboxKey),
    dashboardWebhookRoutes(engine, sandbox, sandboxKey),
    modalScriptRoutes(),
    apiDocsRoutes(engine.config.publicUrl, dialects),
  ]) {
    root.use(router.routes());
  }
  app.use(methodErrors(shapes));
  root.get('/', (ctx) => ctx.redirect('/dashboard'));
  app.use(root.routes());
  app.use(root.allowedMethods());
  app.use(notFoundRoute(shapes));
  return app;
}
