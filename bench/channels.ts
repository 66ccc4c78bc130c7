/**
 * npm run bench:channels [-- --connections 8 --duration-ms 4000 --rounds 3 --database-url … --redis-url …]
 *
 * What a duplicate costs at each door: a repeated GraphQL createOrder (DuplicateDetected from the
 * cache), a redelivered marketplace webhook (signature check, then the same guard: 200 duplicate)
 * and a replayed REST call (200, Idempotent-Replayed). One built server (NODE_ENV=production) on a
 * fresh database and Redis prefix, 64 completed orders per door, closed-loop load from this
 * process; the doors take turns for `rounds` rounds so that a change of the machine's load hits
 * them alike. Prints p50/p99/throughput per door and the ratio of each to the GraphQL duplicate.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { Client } from 'undici';
import { signWebhook } from '../src/channels/webhook-signature';
import { signViewerToken } from '../src/auth/jwt';
import { applyMigrations } from '../src/db/migrations/migrator';
import { createScratchDatabase, dropScratchDatabase } from '../test/support/scratch-database';
import { deleteRedisPrefix } from '../test/support/redis';
import { startServerProcess } from './harness/server-process';
import { runClosedLoop } from './load/drivers';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL } from './options';
import type { Answer, Sender } from './load/drivers';
import type { PointResult } from './load/latency';
import { CREATE_ORDER } from './scenarios';
import { parseCommandLine } from '../src/cli/command-line';

const HELP = {
  usage: 'npm run bench:channels -- [options]',
  about:
    "What a duplicate costs at each door (GraphQL, marketplace webhook, partner REST): p50, p99 and throughput of each door's repeat, and its ratio to the GraphQL duplicate.",
};

const ORDERS_PER_DOOR = 64;
const CUSTOMERS = 16;
const SECRET = randomBytes(24).toString('hex');

/** One request a door repeats: where it goes, what it carries, how to tell the duplicate answer. */
interface Repeat {
  path: string;
  headers: Record<string, string>;
  body: string;
  isDuplicate(status: number, headers: Record<string, string | string[] | undefined>, text: string): boolean;
}

type Door = 'graphql' | 'webhook' | 'rest';

async function main(): Promise<void> {
  const { values } = parseCommandLine(HELP, {
    options: {
      connections: { type: 'string' },
      'duration-ms': { type: 'string' },
      rounds: { type: 'string' },
      'database-url': { type: 'string' },
      'redis-url': { type: 'string' },
    },
  });
  const connections = Number(values.connections ?? 8);
  const durationMs = Number(values['duration-ms'] ?? 4_000);
  const rounds = Number(values.rounds ?? 3);
  const databaseUrl = values['database-url'] ?? DEFAULT_DATABASE_URL;
  const redisUrl = values['redis-url'] ?? DEFAULT_REDIS_URL;

  const database = await createScratchDatabase(databaseUrl, 'og_bench_channels');
  const prefix = `og-bench-channels:${randomBytes(4).toString('hex')}`;
  const jwtSecret = randomBytes(32).toString('hex');
  try {
    await applyMigrations(database.url);
    const skus = await seedProducts(database.url);
    const server = await startServerProcess({
      env: {
        NODE_ENV: 'production',
        JWT_SECRET: jwtSecret,
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: prefix,
        MIGRATE_ON_START: 'false',
        LOG_LEVEL: 'warn',
        ORDER_RATE_LIMIT: '999999999/1',
        // Repeats are what is measured: the semantic check of new orders is beside the point.
        SEMANTIC_DUPLICATE_POLICY: 'OFF',
        MARKETPLACE_WEBHOOK_SECRETS: `bench=${SECRET}`,
      },
    });
    try {
      const tokens = await Promise.all(
        Array.from({ length: CUSTOMERS }, (_, index) =>
          signViewerToken({ customerId: `bench-customer-${index}`, role: 'customer' }, jwtSecret),
        ),
      );
      const repeats = {
        graphql: graphqlRepeats(tokens, skus),
        webhook: webhookRepeats(skus),
        rest: restRepeats(tokens, skus),
      } satisfies Record<Door, Repeat[]>;
      // The first send of each creates the order; the check makes sure each door's seeds went in.
      for (const [door, list] of Object.entries(repeats)) {
        for (const repeat of list)
          await send(server.url, repeat, door === 'webhook' ? 200 : door === 'rest' ? 201 : 200);
      }
      const load = [os.loadavg()[0]];
      const results: Record<Door, PointResult[]> = { graphql: [], webhook: [], rest: [] };
      for (let round = 0; round < rounds; round++) {
        for (const door of Object.keys(repeats) as Door[]) {
          results[door].push(await measure(server.url, repeats[door], connections, durationMs));
        }
      }
      load.push(os.loadavg()[0]);
      report(results, { connections, durationMs, rounds, load });
    } finally {
      await server.stop();
    }
  } finally {
    await deleteRedisPrefix(prefix, redisUrl).catch(() => undefined);
    await dropScratchDatabase(databaseUrl, database.name);
  }
}

/** Seeded carts: two neighbouring SKUs, one cart per order, so no two orders look alike. */
function cart(skus: readonly string[], index: number) {
  return {
    currency: 'EUR',
    items: [
      { sku: skus[index * 2], quantity: 1 },
      { sku: skus[index * 2 + 1], quantity: 2 },
    ],
  };
}

function graphqlRepeats(tokens: readonly string[], skus: readonly string[]): Repeat[] {
  return Array.from({ length: ORDERS_PER_DOOR }, (_, index) => ({
    path: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[index % tokens.length]}` },
    body: JSON.stringify({
      query: CREATE_ORDER,
      variables: { key: `bench-graphql-${index}-${SECRET.slice(0, 8)}`, input: cart(skus, index) },
    }),
    isDuplicate: (status, _headers, text) => status === 200 && text.includes('"__typename":"DuplicateDetected"'),
  }));
}

function webhookRepeats(skus: readonly string[]): Repeat[] {
  // Signed once: valid for MARKETPLACE_SIGNATURE_TOLERANCE_MS (5 min), longer than a run.
  const timestamp = String(Math.floor(Date.now() / 1000));
  return Array.from({ length: ORDERS_PER_DOOR }, (_, index) => {
    const body = JSON.stringify({
      orderId: `BENCH-MKT-${index}`,
      customerId: `bench-customer-${index % CUSTOMERS}`,
      ...cart(skus, ORDERS_PER_DOOR + index),
    });
    return {
      path: '/channels/marketplace/bench/orders',
      headers: {
        'content-type': 'application/json',
        'x-signature-timestamp': timestamp,
        'x-signature': signWebhook(SECRET, timestamp, body),
      },
      body,
      isDuplicate: (status, _headers, text) => status === 200 && text.includes('"status":"duplicate"'),
    };
  });
}

function restRepeats(tokens: readonly string[], skus: readonly string[]): Repeat[] {
  return Array.from({ length: ORDERS_PER_DOOR }, (_, index) => ({
    path: '/api/v1/orders',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${tokens[index % tokens.length]}`,
      'idempotency-key': `bench-rest-${index}-${SECRET.slice(0, 8)}`,
    },
    body: JSON.stringify(cart(skus, 2 * ORDERS_PER_DOOR + index)),
    isDuplicate: (status, headers) => status === 200 && headers['idempotent-replayed'] === 'true',
  }));
}

async function send(url: string, repeat: Repeat, expectedStatus: number): Promise<void> {
  const client = new Client(url);
  try {
    const response = await client.request({
      path: repeat.path,
      method: 'POST',
      headers: repeat.headers,
      body: repeat.body,
    });
    const text = await response.body.text();
    if (response.statusCode !== expectedStatus || text.includes('"errors"'))
      throw new Error(`seeding ${repeat.path} failed: ${response.statusCode} ${text}`);
  } finally {
    await client.close();
  }
}

/** Closed loop: each connection repeats the door's seeded requests, walking them at its own offset. */
async function measure(url: string, repeats: Repeat[], connections: number, durationMs: number): Promise<PointResult> {
  const clients = Array.from({ length: connections }, () => new Client(url, { pipelining: 1 }));
  const senders: Sender[] = clients.map((client, worker) => async (sequence): Promise<Answer> => {
    const repeat = repeats[(worker + sequence * 7) % repeats.length];
    const response = await client.request({
      path: repeat.path,
      method: 'POST',
      headers: repeat.headers,
      body: repeat.body,
    });
    const text = await response.body.text();
    const ok = repeat.isDuplicate(response.statusCode, response.headers, text);
    return { outcome: ok ? 'duplicate' : `http-${response.statusCode}`, ok };
  });
  try {
    return await runClosedLoop(senders, durationMs);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

function report(
  results: Record<Door, PointResult[]>,
  run: { connections: number; durationMs: number; rounds: number; load: number[] },
): void {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const summary = (points: PointResult[]) => ({
    p50: median(points.map((point) => point.latencyMs.p50)),
    p99: median(points.map((point) => point.latencyMs.p99)),
    throughput: median(points.map((point) => point.throughputPerSec)),
    errors: points.reduce((sum, point) => sum + point.errors, 0),
  });
  const graphql = summary(results.graphql);
  console.log(
    `bench:channels  ${run.connections} connections, ${run.rounds} rounds × ${run.durationMs} ms per door (medians of the rounds)`,
  );
  console.log(
    `load average (1 min): ${run.load.map((value) => value.toFixed(2)).join(' at start, ')} at end; ${os.cpus().length} cores`,
  );
  console.log('door      p50 ms   p99 ms   req/s   errors   p50 / GraphQL duplicate');
  for (const door of Object.keys(results) as Door[]) {
    const figures = summary(results[door]);
    const ratio = (figures.p50 / graphql.p50).toFixed(2);
    console.log(
      `${door.padEnd(9)} ${figures.p50.toFixed(2).padStart(6)}  ${figures.p99.toFixed(2).padStart(7)}  ${String(Math.round(figures.throughput)).padStart(6)}  ${String(figures.errors).padStart(7)}   ${ratio}`,
    );
  }
}

async function seedProducts(databaseUrl: string): Promise<string[]> {
  const skus = Array.from({ length: 6 * ORDERS_PER_DOOR }, (_, index) => `BENCH-${String(index).padStart(4, '0')}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "Product" ("id", "sku", "name", "priceCents", "currency", "stock", "updatedAt")
       SELECT gen_random_uuid(), sku, 'Bench product ' || sku, 100, 'EUR', 1000000, now() FROM unnest($1::text[]) AS s(sku)`,
      [skus],
    );
  } finally {
    await client.end();
  }
  return skus;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
