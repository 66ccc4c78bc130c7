import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does with one request: pass it on; pass it on and then drop the connection
 * before the client sees the response (the server did the work, the client never hears of it);
 * or answer 503 without passing it on.
 */
export type ProxyStep = 'pass' | 'drop-response' | 'fail-503';

export interface FlakyProxy {
  url: string;
  /** The steps taken so far, one per request. */
  taken: ProxyStep[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** A loopback HTTP proxy to `target` that follows `steps` in order, then passes everything. */
export async function startFlakyProxy(target: string, steps: ProxyStep[]): Promise<FlakyProxy> {
  const taken: ProxyStep[] = [];
  const server = http.createServer((request, response) => {
    const step = steps.shift() ?? 'pass';
    taken.push(step);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (step === 'fail-503') {
        response.writeHead(503, { 'content-type': 'text/plain' }).end('try again');
        return;
      }
      const upstream = http.request(
        new URL(request.url ?? '/', target),
        { method: request.method, headers: request.headers, agent: false },
        (reply) => {
          const body: Buffer[] = [];
          reply.on('data', (chunk: Buffer) => body.push(chunk));
          reply.on('end', () => {
            if (step === 'drop-response') {
              request.socket.destroy();
              return;
            }
            const headers = Object.fromEntries(Object.entries(reply.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
            response.writeHead(reply.statusCode ?? 502, headers).end(Buffer.concat(body));
          });
        },
      );
      upstream.on('error', () => response.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    taken,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
