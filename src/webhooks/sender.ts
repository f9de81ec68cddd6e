import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const RESPONSE_EXCERPT_BYTES = 4096;

export interface SendResult {
  status: number | null;
  /** The start of the response body (at most 4 KB). */
  body: string | null;
  error: string | null;
  durationMs: number;
  /** A `mailto:` delivery: e-mailed, not POSTed. */
  emailed?: boolean;
}

/**
 * A notification e-mailed instead of POSTed (a `mailto:` delivery, where the dialect has no
 * webhook URL to send to): the emulator sends no mail, the delivery log shows it as e-mailed.
 */
export function simulatedEmail(url: string): SendResult {
  return { status: null, body: `e-mailed to ${decodeURIComponent(url.slice('mailto:'.length))} (simulated: the emulator sends no mail)`, error: null, durationMs: 0, emailed: true };
}

/**
 * POSTs a webhook body exactly as given, with exactly these headers. Redirects are not followed
 * (BitPay does not); the attempt fails after `timeoutMs` whatever the receiver does.
 */
export function postWebhook(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SendResult> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      finish({ status: null, body: null, error: `invalid URL ${url}` });
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        if (length < RESPONSE_EXCERPT_BYTES) chunks.push(chunk);
        length += chunk.length;
      });
      res.on('end', () => {
        finish({ status: res.statusCode ?? null, body: Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8'), error: null });
      });
      res.on('error', (error) => finish({ status: res.statusCode ?? null, body: null, error: error.message }));
    });
    timer = setTimeout(() => {
      req.destroy();
      finish({ status: null, body: null, error: `no response within ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('error', (error) => finish({ status: null, body: null, error: error.message }));
    req.end(body);
  });
}
