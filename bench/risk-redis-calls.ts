/**
 * node dist/bench/risk-redis-calls.js [--creates 200 --database-url …]
 *
 * What duplicate-risk scoring sends to Redis per create, counted rather than timed (so the
 * machine's load does not matter): each server (without a model, then with
 * models/duplicate-risk.json) gets a private redis-server of its own, serves `--creates` creates of
 * each kind one at a time (`candidate`: a customer's second order of the same cart, scored and
 * flagged; `fresh`: a first order). Counted: the commands the server sent (MONITOR; the calls its
 * Lua scripts make are not commands sent, and not counted), and the reads Redis made from its
 * clients (INFO `total_reads_processed`: one per write the server's sockets made, when writes do
 * not pile up; the counting connection's own INFO calls subtracted). Also prints the server's CPU
 * per create (process_cpu_seconds_total), which on a shared machine moves with its load.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { Client } from 'undici';
import { applyMigrations } from '../src/db/migrations/migrator';
import { startRedisServer } from '../scripts/harness/redis-server';
import { createScratchDatabase, dropScratchDatabase } from '../test/support/scratch-database';
import { cpuSecondsOf, customerToken, expectCreated, postCreate, seedProduct } from './harness/risk-bench-orders';
import { PROJECT_ROOT, startServerProcess } from './harness/server-process';
import { DEFAULT_DATABASE_URL } from './options';

type Variant = 'plain' | 'scored';
type Kind = 'candidate' | 'fresh';

/** What was counted around one kind of create. */
interface RedisCounts {
  /** Commands the server sent, by name. */
  commands: Map<string, number>;
  /** Reads Redis made from client sockets. */
  reads: number;
  /** Redis's CPU time (user + system, µs). */
  redisCpuMicros: number;
}

/** The same per create, and the server's CPU (µs). */
interface PerCreate extends RedisCounts {
  cpuMicros: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { creates: { type: 'string' }, 'database-url': { type: 'string' } } });
  const creates = Number(values.creates ?? 200);
  const databaseUrl = values['database-url'] ?? DEFAULT_DATABASE_URL;
  const database = await createScratchDatabase(databaseUrl, 'og_bench_risk_calls');
  try {
    await applyMigrations(database.url);
    await seedProduct(database.url);
    const results: Record<Variant, Record<Kind, PerCreate>> = {
      plain: await countVariant('plain', database.url, creates),
      scored: await countVariant('scored', database.url, creates),
    };
    report(results, creates);
  } finally {
    await dropScratchDatabase(databaseUrl, database.name);
  }
}

async function countVariant(variant: Variant, databaseUrl: string, creates: number): Promise<Record<Kind, PerCreate>> {
  const redisServer = await startRedisServer();
  const jwtSecret = randomBytes(32).toString('hex');
  const server = await startServerProcess({
    env: {
      NODE_ENV: 'production',
      JWT_SECRET: jwtSecret,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisServer.url,
      REDIS_KEY_PREFIX: `og-bench-calls-${variant}`,
      MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'warn',
      ORDER_RATE_LIMIT: '999999999/1',
      SEMANTIC_DUPLICATE_POLICY: 'FLAG',
      ...(variant === 'scored' ? { RISK_MODEL_PATH: path.join(PROJECT_ROOT, 'models/duplicate-risk.json') } : {}),
    },
  });
  const client = new Client(server.url, { pipelining: 1 });
  const counter = new Redis(redisServer.url);
  const monitor = await counter.monitor();
  const sent = new Map<string, number>();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const name = args[0].toLowerCase();
    if (source !== 'lua' && name !== 'info') sent.set(name, (sent.get(name) ?? 0) + 1);
  });
  try {
    const customers = Array.from({ length: creates }, (_, i) => `${variant}-${i}`);
    const create = async (customer: string, key: string, hasCandidate: boolean) =>
      expectCreated(await postCreate(client, await customerToken(customer, jwtSecret), key), hasCandidate, customer);
    for (const customer of customers) await create(`candidate-${customer}`, `seed-${customer}`, false);
    const perKind = {} as Record<Kind, PerCreate>;
    for (const kind of ['candidate', 'fresh'] as const) {
      // Fire-and-forget updates of the previous step land first.
      await sleep(300);
      const before = await redisCounts(counter, sent);
      const cpuBefore = await cpuSecondsOf(server.url);
      for (const customer of customers)
        await create(`${kind}-${customer}`, `bench-${kind}-${customer}`, kind === 'candidate');
      const cpuAfter = await cpuSecondsOf(server.url);
      await sleep(300);
      const after = await redisCounts(counter, sent);
      perKind[kind] = perCreate(before, after, creates, ((cpuAfter - cpuBefore) * 1e6) / creates);
    }
    return perKind;
  } finally {
    monitor.disconnect();
    counter.disconnect();
    await client.close();
    await server.stop();
    await redisServer.kill();
  }
}

/** The commands sent so far, and Redis's reads; this connection's INFO shows as one read each. */
async function redisCounts(redis: Redis, sent: ReadonlyMap<string, number>): Promise<RedisCounts> {
  const text = await redis.info('all');
  const stat = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? NaN);
  return {
    commands: new Map(sent),
    reads: stat('total_reads_processed'),
    redisCpuMicros: (stat('used_cpu_user') + stat('used_cpu_sys')) * 1e6,
  };
}

function perCreate(before: RedisCounts, after: RedisCounts, creates: number, cpuMicros: number): PerCreate {
  const commands = new Map<string, number>();
  for (const [name, calls] of after.commands) {
    const delta = calls - (before.commands.get(name) ?? 0);
    if (delta > 0) commands.set(name, delta / creates);
  }
  // The `before` INFO's read came after its count was taken.
  const redisCpuMicros = (after.redisCpuMicros - before.redisCpuMicros) / creates;
  return { commands, reads: (after.reads - before.reads - 1) / creates, redisCpuMicros, cpuMicros };
}

function report(results: Record<Variant, Record<Kind, PerCreate>>, creates: number): void {
  console.log(
    `risk-redis-calls  ${creates} creates per server and kind, one at a time; FLAG policy; private Redis each`,
  );
  console.log(
    'per create: commands the server sent to Redis, the writes that carried them, the server CPU, the Redis CPU (MONITOR included)',
  );
  console.log('server   kind       commands  writes  CPU µs  Redis µs   by name');
  const total = (counts: PerCreate) => [...counts.commands.values()].reduce((a, b) => a + b, 0);
  for (const variant of ['plain', 'scored'] as const) {
    for (const kind of ['candidate', 'fresh'] as const) {
      const counts = results[variant][kind];
      const named = [...counts.commands]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, calls]) => `${name} ${calls.toFixed(2)}`)
        .join(', ');
      console.log(
        `${variant.padEnd(8)} ${kind.padEnd(10)} ${total(counts).toFixed(2).padStart(8)}  ${counts.reads.toFixed(2).padStart(6)}  ${counts.cpuMicros.toFixed(0).padStart(6)}  ${counts.redisCpuMicros.toFixed(0).padStart(8)}   ${named}`,
      );
    }
  }
  for (const kind of ['candidate', 'fresh'] as const) {
    const { plain, scored } = { plain: results.plain[kind], scored: results.scored[kind] };
    console.log(
      `scoring adds to a ${kind} create: ${(total(scored) - total(plain)).toFixed(2)} commands, ${(scored.reads - plain.reads).toFixed(2)} writes to Redis, ${(scored.cpuMicros - plain.cpuMicros).toFixed(0)} µs of server CPU, ${(scored.redisCpuMicros - plain.redisCpuMicros).toFixed(0)} µs of Redis CPU`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
