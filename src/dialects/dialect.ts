import type Router from '@koa/router';
import type { EngineContext, EventSubscriber } from '../engine/context.js';
import type { Sandbox } from '../sandbox/controls.js';
import type { EngineError } from '../errors.js';
import type { AppState } from '../http/context.js';
import type { SandboxKey } from '../http/sandbox/guard.js';
import type { CheckoutFlavour } from '../http/web/flavour.js';
import type { WebhookFormat } from '../webhooks/format.js';
import type { ApiDescription } from '../http/openapi.js';

export interface DialectDependencies {
  engine: EngineContext;
  sandbox: Sandbox;
  /** PUBLIC_URL, or the URL the server listens on once it is known. */
  publicUrl: () => string;
  /** SANDBOX_TOKEN, for dialects whose sandbox user signs in with it. */
  sandboxKey: SandboxKey;
}

/** How one merchant API is spoken over the engine (README "Adding a dialect"). */
export interface Dialect {
  name: string;
  routes(deps: DialectDependencies): Router<AppState>[];
  /** Every route of `routes`, with the schemas of what it takes and answers: the source of its OpenAPI document. */
  api: ApiDescription;
  /** Whether a request path belongs to this dialect's API: its errors are written in this dialect's shape. */
  owns(path: string): boolean;
  errorStatus(error: EngineError): number;
  errorBody(method: string, error: EngineError): unknown;
  /** Turns domain events into this dialect's outbox deliveries, in the transaction that caused them (dialects with webhooks). */
  subscriber?: EventSubscriber;
  webhookFormat?(engine: EngineContext): WebhookFormat;
  /** The look and words of the checkout page of the invoices made through this dialect. */
  checkoutFlavour?: CheckoutFlavour;
  /** `POST /sandbox/api-keys {dialect}`: a key of this dialect (dialects with API keys). */
  /** Whether its invoices take receive addresses given back by cancelled ones (seed 001's pool). */
  reusesAddresses?: boolean;
  /** The engine invoice a name of this dialect's stands for (e.g. `INV-0001`), null when it is not one of its names; for the sandbox API and CLI. */
  invoiceIdOf?(engine: EngineContext, name: string): Promise<string | null>;
  sandboxApiKey?(engine: EngineContext, request: { merchantId?: unknown; permissions?: unknown; label?: unknown }): Promise<Record<string, unknown>>;
}
