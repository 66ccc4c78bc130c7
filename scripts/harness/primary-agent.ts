import http from 'node:http';
import type net from 'node:net';
import { Client } from 'pg';

/**
 * The health agent of one PostgreSQL node, in its own process (`node dist/scripts/harness/primary-agent.js
 * <postgres url>`): `GET /primary` answers 200 when the node answers and is not in recovery, 503
 * otherwise, the same contract as Patroni's REST API. It prints `{"port":N}` once it listens.
 *
 * Its own process because HAProxy marks a node down after two checks that take over a second: an
 * agent sharing the event loop of a soak driver with tens of thousands of clients missed them, and
 * HAProxy shut every session of a healthy primary. Patroni, too, runs beside the database, not in
 * a client. It keeps one connection (a new one per check cost a backend fork five times a second)
 * and opens another when that one fails.
 */
const QUERY_TIMEOUT_MS = 500;

const url = process.argv[2];
if (!url) throw new Error('usage: primary-agent <postgres url>');

let client: Client | undefined;
let check: Promise<boolean> | undefined;

async function isWritablePrimary(): Promise<boolean> {
  try {
    if (!client) {
      const fresh = new Client({
        connectionString: url,
        connectionTimeoutMillis: QUERY_TIMEOUT_MS,
        query_timeout: QUERY_TIMEOUT_MS,
      });
      fresh.on('error', () => (client === fresh ? (client = undefined) : undefined));
      client = fresh;
      await fresh.connect();
    }
    const { rows } = await client.query<{ recovery: boolean }>('SELECT pg_is_in_recovery() AS recovery');
    return rows[0]?.recovery === false;
  } catch {
    const failed = client;
    client = undefined;
    await failed?.end().catch(() => undefined);
    return false;
  }
}

const server = http.createServer((_request, response) => {
  // Checks that arrive while one runs share its answer.
  check ??= isWritablePrimary().finally(() => (check = undefined));
  void check.then((primary) => {
    response.writeHead(primary ? 200 : 503, { 'content-type': 'text/plain' });
    response.end(primary ? 'primary\n' : 'not primary\n');
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as net.AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
