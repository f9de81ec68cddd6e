import type { ParameterizedContext } from 'koa';

export interface AppState {
  requestId: string;
  /** Who is calling, as the dialect's auth guard found it; each dialect reads its own. */
  principal?: unknown;
  /** The browser's CSRF token, once a page has asked for it. */
  csrf?: string;
}

export type AppContext = ParameterizedContext<AppState>;

/** The parsed JSON body as an object (the body parser only accepts objects and arrays). */
export function bodyOf(ctx: AppContext): Record<string, unknown> {
  const body = ctx.request.body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/**
 * The base URL (ending in '/') of the links a response carries: PUBLIC_URL when set, else the
 * scheme and Host the request came with, so that a client that reached the emulator as
 * https://test.bitpay.com/ gets https://test.bitpay.com/ links.
 */
export function requestBaseUrl(ctx: AppContext, configuredPublicUrl: string | null): string {
  return configuredPublicUrl ?? `${ctx.protocol}://${ctx.get('host')}/`;
}
