import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { request } from 'undici';
import { signViewerToken } from '../../src/auth/jwt';
import { applyMigrations } from '../../src/db/migrations/migrator';
import { createScratchDatabase, dropScratchDatabase } from '../../test/support/scratch-database';
import { deleteRedisPrefix } from '../../test/support/redis';
import type { BenchOptions } from '../options';
import { CREATE_ORDER } from '../scenarios';
import type { BenchFixtures, OrderInput, SeededOrder } from '../scenarios';
import { freePort, startServerProcess } from './server-process';
import type { ServerProcess, ServerProcessOptions } from './server-process';

/** Products seeded, each with {@link SEEDED_STOCK} units: creates spread over them. */
const SEEDED_PRODUCTS = 200;
const SEEDED_STOCK = 1_000_000_000;
/** The SKU every order of create-hot and raw-hot buys (seeded with {@link SEEDED_STOCK} units too). */
const HOT_SKU = 'BENCH-HOT';
/** Customers the load is spread over (one token each). */
const CUSTOMERS = 16;
/** Completed orders that `read` reads and `duplicate` repeats. */
const SEEDED_ORDERS = 64;

/** A fresh benchmark database, its servers and what was seeded; close() removes it all. */
export interface BenchEnvironment {
  databaseUrl: string;
  fixtures: BenchFixtures;
  /** The environment every server of this run gets, for servers started later (the statement counter's). */
  serverEnv: Record<string, string>;
  servers: { main: ServerProcess; noRedis?: ServerProcess };
  close(): Promise<void>;
}

/** Creates `og_bench_*`, migrates and seeds it, starts the servers, and seeds orders through them. */
export async function openBenchEnvironment(
  options: BenchOptions,
  needsNoRedisServer: boolean,
): Promise<BenchEnvironment> {
  const runId = `b${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const database = await createScratchDatabase(options.databaseUrl, 'og_bench');
  const cleanups: (() => Promise<unknown>)[] = [() => dropScratchDatabase(options.databaseUrl, database.name)];
  const close = async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error: unknown) => console.error('cleanup failed:', error));
  };
  try {
    await applyMigrations(database.url);
    const skus = await seedProducts(database.url);
    const jwtSecret = randomBytes(32).toString('hex');
    const redisKeyPrefix = `og-bench:${runId}`;
    cleanups.push(() => deleteRedisPrefix(redisKeyPrefix, options.redisUrl));
    const serverEnv: Record<string, string> = {
      NODE_ENV: 'production',
      JWT_SECRET: jwtSecret,
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: String(options.poolSize),
      REDIS_URL: options.redisUrl,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      MIGRATE_ON_START: 'false',
      LOG_LEVEL: options.logLevel,
      // A per-customer order rate limit (where the server has one) would measure the limiter, not the path.
      ORDER_RATE_LIMIT: '999999999/1',
    };
    const start = async (extra: Record<string, string>, settings: Partial<ServerProcessOptions> = {}) => {
      const server = await startServerProcess({
        env: { ...serverEnv, ...extra },
        nodeArgs: options.serverNodeArgs,
        ...settings,
      });
      cleanups.push(() => server.stop());
      return server;
    };
    // The Redis-less server points at a port nobody listens on: every claim fails at once and
    // the guard goes on unclaimed, so the database's unique index answers the repeats.
    const [main, noRedis] = await Promise.all([
      start({}, { cpuProfileDir: options.cpuProfileDir && path.join(options.cpuProfileDir, 'main') }),
      needsNoRedisServer
        ? freePort().then((port) =>
            start(
              { REDIS_URL: `redis://127.0.0.1:${port}` },
              { cpuProfileDir: options.cpuProfileDir && path.join(options.cpuProfileDir, 'no-redis') },
            ),
          )
        : undefined,
    ]);
    const tokens = await Promise.all(
      Array.from({ length: CUSTOMERS }, (_, customer) =>
        signViewerToken({ customerId: customerIdOf(customer), role: 'customer' }, jwtSecret, { expiresIn: '2h' }),
      ),
    );
    const orders = await seedOrders(main.url, runId, skus, tokens);
    return {
      databaseUrl: database.url,
      fixtures: { runId, skus, hotSku: HOT_SKU, tokens, orders },
      serverEnv,
      servers: { main, noRedis },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The customer id behind token `index`: raw-sql writes for the same customers. */
export function customerIdOf(index: number): string {
  return `bench-customer-${index}`;
}

async function seedProducts(databaseUrl: string): Promise<string[]> {
  const skus = Array.from({ length: SEEDED_PRODUCTS }, (_, index) => `BENCH-${String(index).padStart(4, '0')}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "Product" ("id", "sku", "name", "priceCents", "currency", "stock", "updatedAt")
       SELECT gen_random_uuid(), sku, 'Bench product ' || sku, 100 + ordinality::int, 'EUR', $2, now()
       FROM unnest($1::text[]) WITH ORDINALITY AS s(sku, ordinality)`,
      [[...skus, HOT_SKU], SEEDED_STOCK],
    );
  } finally {
    await client.end();
  }
  return skus;
}

/** Creates an order through the server (so that Redis holds its completed claim); returns its id. */
export async function createOrderThrough(url: string, token: string, key: string, input: OrderInput): Promise<string> {
  const response = await request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: CREATE_ORDER, variables: { key, input } }),
  });
  const body = (await response.body.json()) as {
    data?: { createOrder?: { __typename: string; order?: { id: string } } };
  };
  const id = body.data?.createOrder?.order?.id;
  if (!id) throw new Error(`seeding an order failed: ${JSON.stringify(body)}`);
  return id;
}

async function seedOrders(
  url: string,
  runId: string,
  skus: readonly string[],
  tokens: readonly string[],
): Promise<SeededOrder[]> {
  return Promise.all(
    Array.from({ length: SEEDED_ORDERS }, async (_, index) => {
      const customer = index % tokens.length;
      const key = `${runId}-seed-${index}`;
      const input: OrderInput = {
        currency: 'EUR',
        items: [
          { sku: skus[index * 2], quantity: 1 },
          { sku: skus[index * 2 + 1], quantity: 2 },
        ],
      };
      return { id: await createOrderThrough(url, tokens[customer], key, input), customer, key, input };
    }),
  );
}
