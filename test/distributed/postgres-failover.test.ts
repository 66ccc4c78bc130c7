import { applyMigrations } from '../../src/db/migrations/migrator';
import { seedProducts } from '../support/catalog';
import type { TestDatabase } from '../support/database';
import { customerTokens, startInstances } from '../support/instances';
import type { Instances } from '../support/instances';
import { expectOneWholeOrderPerIntent } from '../support/order-audit';
import { startPostgresPair } from '../support/postgres-pair';
import type { PostgresNode, PostgresPair, Replication } from '../support/postgres-pair';
import { startPrimaryProxy } from '../support/primary-proxy';
import type { PrimaryProxy, ServerState } from '../support/primary-proxy';
import { onNode } from '../support/redis-cluster';
import { startRedisServer } from '../support/redis-server';
import type { RedisServer } from '../support/redis-server';
import { testEnvironment } from '../support/server';
import { makeIntents, runStorm } from '../support/storm';
import type { AttemptRecord, Intent, StormReport } from '../support/storm';
import { waitUntil } from '../support/wait';

const INTENTS = 60;
const CLIENTS_PER_INTENT = 2;
const STORM_SPREAD_MS = 8_000;
/** Orders created (OrderCreated answered) before the primary dies (asynchronous: before the standby stops following). */
const CREATED_BEFORE_FAULT = 20;
/** Asynchronous: orders created and acknowledged on the primary alone before it dies. */
const CREATED_ON_PRIMARY_ONLY = 8;
/** How long the failover tool takes to notice the dead primary before promoting (ms). */
const DETECTION_MS = 1_000;
const STOCK = { 'FAILOVER-A': 10_000, 'FAILOVER-B': 10_000 };

jest.setTimeout(240_000);

interface Deployment {
  pair: PostgresPair;
  proxy: PrimaryProxy;
  redis: RedisServer;
  instances: Instances;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Deployments still running, stopped after all if a test timed out. */
const running = new Set<() => Promise<void>>();
afterAll(async () => {
  for (const stop of running) await stop();
});

/** A primary and standby behind HAProxy, a private Redis, two built servers pointed at HAProxy. */
async function startDeployment(replication: Replication): Promise<Deployment> {
  const parts: Partial<Deployment> = {};
  const stop = async () => {
    running.delete(stop);
    await parts.instances?.stop();
    await Promise.all([parts.proxy?.stop(), parts.redis?.kill()]);
    await parts.pair?.stop();
  };
  running.add(stop);
  try {
    [parts.pair, parts.redis] = await Promise.all([startPostgresPair(replication), startRedisServer()]);
    await applyMigrations(parts.pair.primary.url(parts.pair.database));
    await seedProducts(
      parts.pair.primary.url(parts.pair.database),
      Object.entries(STOCK).map(([sku, stock]) => ({ sku, priceCents: 250, stock })),
    );
    parts.proxy = await startPrimaryProxy([parts.pair.primary, parts.pair.standby]);
    parts.env = testEnvironment(parts.proxy.url(parts.pair.database), `failover-${replication}`, {
      REDIS_URL: parts.redis.url,
    });
    parts.instances = await startInstances(2, parts.env);
    return { ...(parts as Deployment), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The application database on one node, in the shape the order audit reads. */
function databaseOn(node: PostgresNode, database: string): TestDatabase {
  return {
    url: node.url(database),
    name: database,
    query: (sql, params) => node.query(sql, params, database),
    drop: () => Promise.resolve(),
  };
}

interface FailoverRun {
  intents: Intent[];
  storm: StormReport;
  /** A repeat of every intent after the failover (one client each, same key). */
  repeat: StormReport;
  attempts: AttemptRecord[];
  crashedAt: number;
  /** From the first 503 after the crash to the first order created after it (ms). */
  gapMs: number;
  unavailable: AttemptRecord[];
  /** HAProxy's view of the old primary once it was marked down, and at the end. */
  oldPrimary: { atPromotion: ServerState; atEnd: ServerState };
}

/** The storm, the primary SIGKILLed in its middle, the standby promoted, then a repeat of every intent. */
async function stormThroughFailover(deployment: Deployment): Promise<FailoverRun> {
  const { pair, proxy, instances, env } = deployment;
  const intents = await makeIntents(
    INTENTS,
    [
      { sku: 'FAILOVER-A', quantity: 1 },
      { sku: 'FAILOVER-B', quantity: 2 },
    ],
    customerTokens(env),
  );
  const attempts: AttemptRecord[] = [];
  const created = () => attempts.filter((attempt) => attempt.label === 'OrderCreated').length;
  const storm = runStorm(`failover (${pair.replication})`, {
    targets: () => instances.urls(),
    intents,
    clientsPerIntent: CLIENTS_PER_INTENT,
    spreadMs: STORM_SPREAD_MS,
    budgetMs: 120_000,
    honourRetryAfter: true,
    onAttempt: (attempt) => attempts.push(attempt),
  });
  await waitUntil('orders created before the fault', async () => created() >= CREATED_BEFORE_FAULT, 60_000);
  if (pair.replication === 'asynchronous') {
    const detachedAt = created();
    await pair.detachStandby();
    await waitUntil(
      'orders created on the primary alone',
      async () => created() >= detachedAt + CREATED_ON_PRIMARY_ONLY,
      30_000,
    );
  }
  const crashedAt = Date.now();
  await pair.primary.crash();
  await new Promise((resolve) => setTimeout(resolve, DETECTION_MS));
  await pair.promoteStandby();
  await proxy.waitForPrimary(pair.standby.name);
  const atPromotion = await proxy.serverState(pair.primary.name);
  const report = await storm;
  const repeat = await runStorm(`repeat after failover (${pair.replication})`, {
    targets: () => instances.urls(),
    intents,
    clientsPerIntent: 1,
    honourRetryAfter: true,
  });
  const unavailable = attempts.filter((attempt) => attempt.at >= crashedAt && attempt.kind === 'failed');
  const firstUnavailable = Math.min(...unavailable.map((attempt) => attempt.at));
  // The first order the database made again (a repeat answered from Redis needs no database).
  const firstAnswerAfter = Math.min(
    ...attempts.filter((attempt) => attempt.label === 'OrderCreated' && attempt.at > firstUnavailable).map((a) => a.at),
  );
  return {
    intents,
    storm: report,
    repeat,
    attempts,
    crashedAt,
    gapMs: firstAnswerAfter - firstUnavailable,
    unavailable,
    oldPrimary: { atPromotion, atEnd: await proxy.serverState(pair.primary.name) },
  };
}

/** Every failed attempt during the gap was a 503 with Retry-After (a refused connection to a dead instance would not be). */
function expectOnly503WithRetryAfter(run: FailoverRun): void {
  expect(run.unavailable.length).toBeGreaterThan(0);
  const kinds: Record<string, number> = {};
  for (const attempt of run.unavailable) {
    const kind = `${attempt.label} Retry-After:${attempt.retryAfter ?? 'none'}`;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  expect(kinds).toEqual({ 'HTTP 503 SERVICE_UNAVAILABLE Retry-After:1': run.unavailable.length });
}

function describeRun(run: FailoverRun, extra: string): string {
  return (
    `${run.storm.summary}\n${run.repeat.summary}\n` +
    `503 answers after the crash: ${run.unavailable.length}; gap from first 503 to first order created: ${run.gapMs} ms; ${extra}`
  );
}

describe('a PostgreSQL primary SIGKILLed mid-storm, its standby promoted, HAProxy following the primary', () => {
  it('with synchronous replication: every acknowledged order survives with its id, one order per intent, stock conserved', async () => {
    const deployment = await startDeployment('synchronous');
    try {
      const pids = deployment.instances.processes.map((process) => process.child.pid);
      const run = await stormThroughFailover(deployment);
      const promoted = databaseOn(deployment.pair.standby, deployment.pair.database);
      console.log(describeRun(run, `old primary in HAProxy ${JSON.stringify(run.oldPrimary)}`));
      // The fault happened: the primary is dead, the clients saw the outage, the standby took writes.
      expect(deployment.pair.primary.running()).toBe(false);
      expectOnly503WithRetryAfter(run);
      expect(run.attempts.some((attempt) => attempt.kind === 'answer' && attempt.at > run.crashedAt)).toBe(true);
      // The same instances, never restarted, reached the promoted server through HAProxy.
      expect(deployment.instances.urls()).toHaveLength(2);
      expect(deployment.instances.processes.map((process) => process.child.pid)).toEqual(pids);
      // Every answer, before, during and after the failover, names the one order of its intent.
      await expectOneWholeOrderPerIntent(promoted, [...run.storm.answers, ...run.repeat.answers], STOCK);
      expect(run.repeat.outcomes['OrderCreated'] ?? 0).toBe(0);
      // Fencing: HAProxy sends nothing to the old primary; restarted as a standby it refuses writes.
      expect(run.oldPrimary.atPromotion.status).toMatch(/^DOWN/);
      expect(run.oldPrimary.atEnd.chosen).toBe(run.oldPrimary.atPromotion.chosen);
      await deployment.pair.restartOldPrimaryAsStandby();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await deployment.proxy.serverState(deployment.pair.primary.name)).status).toMatch(/^DOWN/);
      await expect(
        deployment.pair.primary.query(`UPDATE "Product" SET "stock" = 0`, [], deployment.pair.database),
      ).rejects.toMatchObject({ code: '25006' });
    } finally {
      await deployment.stop();
    }
  });

  it('with asynchronous replication: acknowledged orders are lost, then re-created under another id (counted)', async () => {
    const deployment = await startDeployment('asynchronous');
    try {
      const run = await stormThroughFailover(deployment);
      const promoted = databaseOn(deployment.pair.standby, deployment.pair.database);
      const ordersByKey = async () =>
        new Map(
          (
            await promoted.query<{ id: string; idempotencyKey: string }>(
              `SELECT "id", "idempotencyKey" FROM "Order" WHERE "idempotencyKey" = ANY($1)`,
              [run.intents.map((intent) => intent.key)],
            )
          ).map((order) => [order.idempotencyKey, order.id]),
        );
      // Every id a client was given during the storm, per intent.
      const acknowledged = new Map<string, Set<string>>();
      for (const answer of run.storm.answers)
        if (answer.orderId)
          acknowledged.set(answer.intent.key, (acknowledged.get(answer.intent.key) ?? new Set()).add(answer.orderId));
      const afterFailover = await ordersByKey();
      const lost = [...acknowledged].filter(([key, ids]) => [...ids].some((id) => afterFailover.get(key) !== id));
      const lostKeys = new Set(lost.map(([key]) => key));
      // Redis still holds those keys' replays: a repeat is answered from the cache with the lost id.
      const answeredWithLostOrder = run.repeat.answers.filter(
        (answer) => lostKeys.has(answer.intent.key) && answer.orderId !== afterFailover.get(answer.intent.key),
      ).length;
      // Once the region's Redis has forgotten them (lost, restarted empty), the repeat makes them again.
      await onNode(deployment.redis.port, (redis) => redis.flushall());
      const relearned = await runStorm('repeat after Redis emptied (asynchronous)', {
        targets: () => deployment.instances.urls(),
        intents: run.intents,
        clientsPerIntent: 1,
        honourRetryAfter: true,
      });
      const afterRepeat = await ordersByKey();
      const recreated = lost.filter(([key, ids]) => afterRepeat.has(key) && !ids.has(afterRepeat.get(key)!));
      console.log(
        describeRun(
          run,
          `acknowledged orders lost ${lost.length}, answered from the cache with the lost id ${answeredWithLostOrder}, ` +
            `re-created under another id ${recreated.length}\n${relearned.summary}`,
        ),
      );
      expectOnly503WithRetryAfter(run);
      // The loss docs/scaling.md warns of, seen: told "created", then gone, then made again.
      expect(lost.length).toBeGreaterThan(0);
      expect(recreated).toHaveLength(lost.length);
      // Still one order per intent and stock conserved for the orders that exist.
      expect(afterRepeat.size).toBe(INTENTS);
      const stock = await promoted.query<{ sku: string; stock: number; ordered: number }>(
        `SELECT p."sku", p."stock", coalesce(sum(i."quantity"), 0)::int AS ordered
           FROM "Product" p LEFT JOIN "OrderItem" i ON i."productId" = p."id" GROUP BY p."id"`,
      );
      for (const row of stock) expect(row.stock).toBe(STOCK[row.sku as keyof typeof STOCK] - row.ordered);
    } finally {
      await deployment.stop();
    }
  });
});
