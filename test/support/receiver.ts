import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  json: any;
}

/** What the receiver does with a request: answer a status, redirect, or never answer. */
export type Behaviour = number | { redirect: string } | 'hang' | { delayMs: number; status: number };

/** A real local HTTP server that records every webhook and answers as told (default 200, empty body). */
export async function startReceiver() {
  const received: Received[] = [];
  const plans = new Map<string, Behaviour[]>();
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, raw, json });
      const behaviour = plans.get(path)?.shift() ?? 200;
      if (behaviour === 'hang') {
        hanging.push(res);
      } else if (typeof behaviour === 'number') {
        res.writeHead(behaviour).end(behaviour === 200 ? '' : `status ${behaviour}`);
      } else if ('redirect' in behaviour) {
        res.writeHead(302, { Location: behaviour.redirect }).end();
      } else {
        setTimeout(() => res.writeHead(behaviour.status).end(), behaviour.delayMs);
      }
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path = '/ipn') => `${base}${path}`,
    received,
    /** The requests to one path. */
    at: (path: string) => received.filter((r) => r.path === path),
    /** Answers the next requests to `path` with these behaviours, in order; then 200. */
    plan: (path: string, ...behaviours: Behaviour[]) => plans.set(path, behaviours),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
