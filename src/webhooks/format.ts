import type { SuccessRule } from '../config.js';
import type { EngineContext } from '../engine/context.js';
import type { Delivery } from './delivery.js';

/**
 * What a dialect tells the one delivery mechanism about its webhooks. The worker claims,
 * sends, logs and retries; the format says what a delivery's body is (built from the engine's
 * state when it is sent), how it is signed, what counts as delivered and when to try again.
 */
export interface WebhookFormat {
  /** The bodies of a batch of this dialect's deliveries; a delivery without one is not sent. */
  render(ctx: EngineContext, deliveries: Delivery[], publicUrl: string): Promise<Map<string, string>>;
  /** The headers that go with a body (content type, user agent, signature). */
  headers(delivery: Delivery, body: string): Record<string, string>;
  /** Whether a receiver's HTTP status counts as delivered. */
  delivered(status: number): boolean;
  /** How long to wait after `failedAttempts` failed attempts (the last answered `status`, null: no answer), or null to give up. */
  retryDelayMs(failedAttempts: number, status: number | null): number | null;
}

export type WebhookFormats = ReadonlyMap<string, WebhookFormat>;

export function isDelivered(status: number, rule: SuccessRule): boolean {
  return rule === '200' ? status === 200 : status >= 200 && status < 300;
}
