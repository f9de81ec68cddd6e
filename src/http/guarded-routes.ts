import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppState } from './context.js';

type Handler = Middleware<AppState>;

/**
 * Registers routes that run `guards` first, as part of each route: whatever spelling of a path
 * the router matches (any letter case, a trailing slash), the request reaches the handler only
 * through its guards. Router-level `use()` middleware is matched separately from the routes and
 * misses some spellings that the routes accept.
 */
export function guardedRoutes(router: Router<AppState>, ...guards: Handler[]) {
  const verb =
    (method: 'get' | 'post' | 'put' | 'patch' | 'delete') =>
    (path: string, handler: Handler): void => {
      (router[method] as (path: string, ...handlers: Handler[]) => unknown).call(router, path, ...guards, handler);
    };
  return { get: verb('get'), post: verb('post'), put: verb('put'), patch: verb('patch'), delete: verb('delete') };
}
