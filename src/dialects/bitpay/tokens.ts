import Router from '@koa/router';
import type { EngineContext } from '../../engine/context.js';
import { activeTokensForSin, requestToken } from '../../engine/tokens.js';
import { verifySignedRequest } from './auth.js';
import { bodyOf, type AppState } from '../../http/context.js';
import { presentToken } from './presenters/token.js';

/**
 * BitPay's Tokens resource. `POST /tokens` is never signed (plugins send malformed signature
 * headers there), `GET /tokens` is signed and lists the caller's approved tokens.
 */
export function tokensRoutes(engine: EngineContext, publicUrl: () => string): Router<AppState> {
  const router = new Router<AppState>();

  router.post('/tokens', async (ctx) => {
    const body = bodyOf(ctx);
    const token = await requestToken(engine, body);
    const claimed = body.pairingCode !== undefined && body.pairingCode !== null && body.pairingCode !== '';
    ctx.body = { data: [presentToken(token, { withPairingCode: !claimed })] };
  });

  router.get('/tokens', async (ctx) => {
    const sin = verifySignedRequest(ctx, publicUrl(), 'listing tokens');
    const tokens = await activeTokensForSin(engine.db, sin);
    ctx.body = { data: tokens.map((t) => ({ [t.facade]: t.token })) };
  });

  return router;
}
