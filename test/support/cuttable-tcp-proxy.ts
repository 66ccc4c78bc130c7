import net from 'node:net';
import { ADMIN_DATABASE_URL } from './database';

/** What the proxy has seen, to prove that a cut really happened. */
export interface CutCounts {
  /** Connections relayed to the upstream. */
  relayed: number;
  /** Live connections torn down by cut() (both sides reset). */
  reset: number;
  /** Connections that arrived while cut and were refused with a reset. */
  refused: number;
  /** Live connections silenced by silence() (kept open, nothing relayed either way). */
  silenced: number;
  /** Bytes the upstream sent on silenced connections, that their clients never got. */
  withheld: number;
}

export interface CuttableTcpProxy {
  /** Loopback port the proxy listens on. */
  port: number;
  counts: CutCounts;
  /** Resets every live connection and refuses new ones until restore(): the upstream is gone for its clients. */
  cut(): void;
  /** Relays new connections again. */
  restore(): void;
  /**
   * Stops relaying on every live connection, both ways, and closes neither side (not even when the
   * other closes): a peer gone without a word, as behind a moved virtual IP or a NAT that dropped
   * the flow. New connections are relayed as usual.
   */
  silence(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on a free loopback port in front of `upstream` (e.g. the shared PostgreSQL), that a
 * test can cut and restore: an outage of that server for the proxy's clients only, without
 * touching the server itself. While cut, the listener stays open but answers every connection
 * with a TCP reset (ECONNRESET on connect), as a server on its way down or a failover in
 * progress does; the proxy counts them.
 */
export async function startCuttableTcpProxy(upstream: { host: string; port: number }): Promise<CuttableTcpProxy> {
  const counts: CutCounts = { relayed: 0, reset: 0, refused: 0, silenced: 0, withheld: 0 };
  const live = new Set<{ client: net.Socket; server: net.Socket }>();
  const silent = new Set<net.Socket>();
  let isCut = false;

  const listener = net.createServer((client) => {
    client.on('error', () => undefined);
    if (isCut) {
      counts.refused++;
      client.resetAndDestroy();
      return;
    }
    counts.relayed++;
    const server = net.connect(upstream.port, upstream.host);
    server.on('error', () => undefined);
    const pair = { client, server };
    live.add(pair);
    client.pipe(server);
    server.pipe(client);
    const end = () => {
      live.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('close', end);
    server.on('close', end);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));

  return {
    port: (listener.address() as net.AddressInfo).port,
    counts,
    cut() {
      isCut = true;
      for (const pair of [...live]) {
        counts.reset++;
        live.delete(pair);
        pair.client.resetAndDestroy();
        pair.server.resetAndDestroy();
      }
    },
    restore() {
      isCut = false;
    },
    silence() {
      for (const pair of [...live]) {
        counts.silenced++;
        live.delete(pair);
        for (const socket of [pair.client, pair.server]) {
          socket.unpipe();
          socket.removeAllListeners('close');
          silent.add(socket);
        }
        pair.client.on('data', () => undefined);
        pair.server.on('data', (chunk: Buffer) => (counts.withheld += chunk.length));
        // unpipe() paused them: read on, into nothing.
        pair.client.resume();
        pair.server.resume();
      }
    },
    async close() {
      for (const { client, server } of live) {
        client.destroy();
        server.destroy();
      }
      for (const socket of silent) socket.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

/** A cuttable proxy in front of the tests' PostgreSQL server (TEST_DATABASE_URL or the local one). */
export function startPostgresProxy(): Promise<CuttableTcpProxy> {
  const server = new URL(ADMIN_DATABASE_URL);
  return startCuttableTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
}

/** `url` with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxy: CuttableTcpProxy): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return proxied.toString();
}
