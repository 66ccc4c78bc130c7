/**
 * npm run build && node dist/scripts/bench-matcher.js [--pairs 20000] [--checks 2000]
 *
 * What the matcher costs: (1) compareOrders per comparison, on pairs from a labelled stream (true
 * duplicates with their originals, hard negatives with the order they resemble), first with
 * fresh address objects (the address profiles are built) and then again (profiles cached); (2)
 * the live lookup inside a real transaction on PostgreSQL (a scratch database on the server of
 * DATABASE_URL, dropped afterwards): one indexed lookup by (customer, cart signature, time) with
 * the candidates' lines (findCandidates), and the matcher up to the first equivalent candidate
 * (compareCandidates), with 0, 1 and 10 same-cart candidates in the window. The live path
 * (`judgeCandidates` in src/orders/order-write.ts) also takes the customer's advisory lock and
 * runs the channel's decision (the rule, or a risk model's score): not measured here. Prints the load average: the machine may be shared.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseCommandLine } from '../src/cli/command-line';
import { toolDatabaseUrl } from './harness/local-database';
import { cartSignature } from '../src/dedupe/cart-signature';
import { compareOrders } from '../src/dedupe/order-matcher';
import type { MatchableOrder } from '../src/dedupe/order-matcher';
import { compareCandidates, findCandidates } from '../src/dedupe/possible-duplicate';
import type { NewOrderFacts } from '../src/dedupe/possible-duplicate';
import { applyMigrations } from '../src/db/migrations/migrator';
import { createPrismaClient } from '../src/db/prisma';
import type { PrismaClient } from '../src/db/prisma';
import { prismaRunner } from '../src/db/sql-runner';
import { createScratchDatabase, dropScratchDatabase } from '../test/support/scratch-database';
import { matchableRecord } from '../test/fixtures/evaluate-matcher';
import { generateOrderStream } from '../test/fixtures/order-stream';

const { values } = parseCommandLine(
  {
    usage: 'node dist/scripts/bench-matcher.js [--pairs 20000] [--checks 2000]',
    about:
      "What the matcher costs: compareOrders per comparison on labelled pairs, and the live lookup in a real transaction (a scratch database on DATABASE_URL's server, dropped afterwards).",
    options: { pairs: 'order pairs compared', checks: 'live lookups timed per candidate count' },
  },
  { options: { pairs: { type: 'string', default: '20000' }, checks: { type: 'string', default: '2000' } } },
);
const SERVER_URL = toolDatabaseUrl();

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (samples: number[], unit: string, scale = 1) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `p50 ${(percentile(sorted, 50) * scale).toFixed(3)} ${unit}, p95 ${(percentile(sorted, 95) * scale).toFixed(3)} ${unit}, p99 ${(percentile(sorted, 99) * scale).toFixed(3)} ${unit}`;
};

function comparisonCost(): void {
  const stream = generateOrderStream({ seed: 99, size: Number(values.pairs) * 8 });
  const byId = new Map(stream.map((order) => [order.record.externalId, order.record]));
  const pairs = stream
    .filter((order) => order.duplicateOf)
    .map((order) => [order.record, byId.get(order.duplicateOf!)!] as const);
  // Fresh objects, so that profiles are built as on the live path; a first round warms the word memos.
  const fresh = () =>
    pairs.map(([a, b]) => [matchableRecord(structuredClone(a)), matchableRecord(structuredClone(b))] as const);
  for (const [a, b] of fresh()) compareOrders(a, b);
  const cached = fresh();
  for (const [a, b] of cached) compareOrders(a, b);
  for (const [label, work] of [
    ['fresh addresses (profiles built)', fresh()],
    ['addresses seen before (profiles cached)', cached],
  ] as const) {
    const started = process.hrtime.bigint();
    let equivalent = 0;
    for (const [a, b] of work) if (compareOrders(a, b).equivalent) equivalent += 1;
    const ns = Number(process.hrtime.bigint() - started) / work.length;
    console.log(
      `compareOrders, ${label}: ${(ns / 1000).toFixed(1)} µs per comparison over ${work.length.toLocaleString('en')} duplicate pairs (${equivalent} equivalent)`,
    );
  }
}

async function liveCheckCost(prisma: PrismaClient): Promise<void> {
  const stream = generateOrderStream({ seed: 98, size: 2_000 });
  const orders = stream.map((order) => matchableRecord(order.record));
  for (const candidates of [0, 1, 10]) {
    const customerId = `bench-${candidates}`;
    const template = { ...orders[candidates], customerId };
    for (let i = 0; i < candidates; i++)
      await insertOrder(prisma, { ...orders[50 + i], customerId, lines: template.lines, currency: template.currency });
    const samples: number[] = [];
    for (let i = 0; i < Number(values.checks); i++) {
      await prisma
        .$transaction(async (tx) => {
          const id = await insertOrder(tx as unknown as PrismaClient, template);
          const started = process.hrtime.bigint();
          const order: NewOrderFacts = {
            ...template,
            id,
            cartSignature: cartSignature(template),
            createdAt: new Date(),
          };
          const rows = await findCandidates(prismaRunner(tx), order, 600_000);
          for (const candidate of compareCandidates(order, rows, 600_000)) if (candidate.match.equivalent) break;
          samples.push(Number(process.hrtime.bigint() - started) / 1e6);
          throw new RolledBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        });
    }
    console.log(
      `live check with ${candidates} same-cart candidate(s) in the window: ${summary(samples, 'ms')} over ${samples.length} checks`,
    );
  }
}

class RolledBack extends Error {}

async function insertOrder(prisma: PrismaClient, order: MatchableOrder): Promise<string> {
  const id = randomUUID();
  await prisma.$executeRaw`
    INSERT INTO "Order" ("id", "customerId", "idempotencyKey", "fingerprint", "currency", "totalCents", "cartSignature", "shippingAddress", "updatedAt")
    VALUES (${id}::uuid, ${order.customerId}, ${randomUUID()}, ${'0'.repeat(64)}, ${order.currency}, 0, ${cartSignature(order)},
            ${JSON.stringify(order.shippingAddress)}::jsonb, now())`;
  return id;
}

async function main(): Promise<void> {
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
  );
  comparisonCost();
  const database = await createScratchDatabase(SERVER_URL, 'og_bench_matcher');
  const { prisma, pool } = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
  try {
    await applyMigrations(database.url);
    await liveCheckCost(prisma);
  } finally {
    await prisma.$disconnect();
    await pool.end();
    await dropScratchDatabase(SERVER_URL, database.name);
  }
  console.log(
    `load average at end: ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
