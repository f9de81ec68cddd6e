import { parseDuration } from './duration.js';

/** Faults injected into webhook delivery so receivers can test their robustness (WEBHOOK_FAULTS). */
export interface WebhookFaults {
  /** Probability (0–1) that a delivered webhook is sent a second time, with the same delivery id. */
  duplicate: number;
  /** Added to every first attempt, on the emulator's clock. */
  delayMs: number;
  /** Deliveries of one invoice that are due together go out newest first. */
  reorder: boolean;
}

export const NO_FAULTS: WebhookFaults = { duplicate: 0, delayMs: 0, reorder: false };

/**
 * Parses "duplicate:0.3,delay:5s,reorder" (any subset, any order; `duplicate` alone means every
 * time). Returns an error message instead when the text is not of that form.
 */
export function parseWebhookFaults(text: string): WebhookFaults | string {
  const faults = { ...NO_FAULTS };
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, value] = item.split(':', 2).map((s) => s.trim());
    if (name === 'duplicate') {
      const p = value === undefined ? 1 : Number(value);
      if (!(p >= 0 && p <= 1)) return `duplicate takes a probability from 0 to 1 (got "${value}")`;
      faults.duplicate = p;
    } else if (name === 'delay') {
      const ms = value === undefined ? null : parseDuration(value);
      if (ms === null) return `delay takes a duration such as 5s (got "${value ?? ''}")`;
      faults.delayMs = ms;
    } else if (name === 'reorder' && value === undefined) {
      faults.reorder = true;
    } else {
      return `unknown fault "${item}"; use duplicate[:p], delay:<duration>, reorder`;
    }
  }
  return faults;
}
