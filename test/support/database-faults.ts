import pg from 'pg';
import { CreateOrderDocument } from '../operations/generated';
import type { CreateOrderMutation } from '../operations/generated';
import { post } from './channels';
import type { JsonResponse } from './channels';
import { postOperation } from './graphql-client';
import type { TestDatabase } from './database';
import { waitUntil } from './wait';
import type { GraphQLResponse } from './graphql-client';

// Faults of a live database for test/db/failures: a session that holds a row, answers timed from
// outside, and the failure metric that proves which failure the server saw.

/** A session of its own in an open transaction, holding whatever its statements locked. */
export interface HeldSession {
  /** The session's server process id (for pg_terminate_backend and pg_locks). */
  pid: number;
  /** Runs a statement inside the held transaction. */
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** Rolls back and disconnects: the locks go. */
  release(): Promise<void>;
}

/** Opens a transaction on `databaseUrl` and runs `statements` in it, keeping it open (its locks held). */
export async function holdTransaction(databaseUrl: string, ...statements: string[]): Promise<HeldSession> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
  await client.query('BEGIN');
  for (const statement of statements) await client.query(statement);
  let released = false;
  return {
    pid,
    query: (sql, params) => client.query(sql, params),
    async release() {
      if (released) return;
      released = true;
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

/** Locks a product's row (FOR UPDATE) from another session, as a long admin transaction would. */
export function holdProductRow(databaseUrl: string, sku: string): Promise<HeldSession> {
  return holdTransaction(databaseUrl, `SELECT 1 FROM "Product" WHERE "sku" = '${sku.replace(/'/g, "''")}' FOR UPDATE`);
}

/** An answer with the time it took, measured by the client (ms). */
export type Timed<T> = T & { ms: number };

/** createOrder over HTTP, timed from the client's side. */
export async function timedCreateOrder(
  url: string,
  token: string,
  key: string,
  items: { sku: string; quantity: number }[],
): Promise<Timed<GraphQLResponse<CreateOrderMutation>>> {
  const startedAt = performance.now();
  const reply = await postOperation(url, CreateOrderDocument, { key, input: { currency: 'EUR', items } }, { token });
  return { ...reply, ms: Math.round(performance.now() - startedAt) };
}

/** POST /api/v1/orders (the partner REST API), timed from the client's side. */
export async function timedRestOrder(
  url: string,
  token: string,
  key: string,
  items: { sku: string; quantity: number }[],
): Promise<Timed<JsonResponse>> {
  const startedAt = performance.now();
  const reply = await post(url, '/api/v1/orders', JSON.stringify({ currency: 'EUR', items }), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'idempotency-key': key,
  });
  return { ...reply, ms: Math.round(performance.now() - startedAt) };
}

/** order_gate_database_failures_total of a server, as `class/sqlstate/outcome` → count. */
export async function databaseFailureCounts(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^order_gate_database_failures_total\{(.*)\} (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[1].matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
    counts[`${labels['class']}/${labels['sqlstate']}/${labels['outcome']}`] = Number(match[2]);
  }
  return counts;
}

/** What a GraphQL client must see for a database failure: 503, Retry-After, SERVICE_UNAVAILABLE, no data. */
export function expectGraphQLUnavailable(reply: GraphQLResponse<unknown>, retryAfterSeconds = 1): void {
  expect({ status: reply.status, retryAfter: reply.headers['retry-after'] }).toEqual({
    status: 503,
    retryAfter: String(retryAfterSeconds),
  });
  expect(reply.body).toEqual({
    data: null,
    errors: [
      {
        message: expect.stringMatching(/^The database is unavailable/) as unknown,
        path: ['createOrder'],
        extensions: {
          code: 'SERVICE_UNAVAILABLE',
          retryAfterMs: retryAfterSeconds * 1000,
          requestId: reply.headers['x-request-id'],
        },
      },
    ],
  });
}

/** What a REST client must see for a database failure: a 503 problem document with Retry-After. */
export function expectRestUnavailable(reply: JsonResponse, retryAfterSeconds = 1): void {
  expect({ status: reply.status, retryAfter: reply.headers['retry-after'] }).toEqual({
    status: 503,
    retryAfter: String(retryAfterSeconds),
  });
  expect(reply.json).toEqual({
    type: 'about:blank',
    title: 'Service Unavailable',
    status: 503,
    code: 'SERVICE_UNAVAILABLE',
    detail: expect.stringMatching(/^The database is unavailable/) as unknown,
    requestId: reply.headers['x-request-id'],
  });
}

/**
 * Terminates, `rounds` times, every session of `db` but the `blocker`'s, each round once some
 * session waits on a lock the blocker holds: the terminations land mid-transaction. From a fresh
 * connection each time (inside the blocker's transaction pg_stat_activity is one cached snapshot).
 * Returns how many of the terminated sessions were waiting on a lock (the proof the fault landed).
 */
export async function terminateSessionsWaitingOnLocks(
  db: TestDatabase,
  blocker: HeldSession,
  rounds = 3,
): Promise<number> {
  let terminatedWhileWaiting = 0;
  for (let round = 0; round < rounds; round++) {
    await waitUntil(
      'transactions waiting on the blocker',
      async () =>
        (
          await db.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> $2`,
            [db.name, blocker.pid],
          )
        ).length > 0,
      20_000,
    );
    const rows = await db.query<{ waiting: boolean }>(
      `SELECT wait_event_type = 'Lock' AS waiting, pg_terminate_backend(pid)
         FROM pg_stat_activity WHERE datname = $1 AND pid <> $2 AND pid <> pg_backend_pid()`,
      [db.name, blocker.pid],
    );
    terminatedWhileWaiting += rows.filter((row) => row.waiting).length;
  }
  return terminatedWhileWaiting;
}
