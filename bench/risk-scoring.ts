/**
 * npm run bench:risk [-- --creates 800 --rounds 4 --database-url … --redis-url … --cpu-prof-dir DIR]
 *
 * What duplicate-risk scoring adds to a create: two built servers on one fresh database, one
 * without a model and one with models/duplicate-risk.json (everything else equal; the policy is
 * FLAG, so a create with a candidate commits in both and sends the same statements). Each measured
 * create is one customer's order, sent over one keep-alive connection at a time:
 * - `candidate`: the customer already placed the same cart (unmeasured), so the lookup finds a
 *   candidate and, on the scored server, the transaction waits for the features and scores it;
 * - `fresh`: the customer's first order (no candidate; the scored server still counts it in Redis).
 * The servers and kinds take turns request by request, so a change of the machine's load hits
 * every series alike.
 * Prints p50/p90/p99 per server and kind, the p50 difference with a bootstrap 95 % interval, and
 * each server's CPU time per measured create (process_cpu_seconds_total over the measured requests
 * only): latency on a shared machine moves with its load, the CPU a create costs much less.
 * `--cpu-prof-dir` writes both servers' V8 CPU profiles there (`node dist/bench/profile-summary.js`).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Client, Pool } from 'undici';
import { signViewerToken } from '../src/auth/jwt';
import { applyMigrations } from '../src/db/migrations/migrator';
import { deleteRedisPrefix } from '../test/support/redis';
import { createScratchDatabase, dropScratchDatabase } from '../test/support/scratch-database';
import { PROJECT_ROOT, startServerProcess } from './harness/server-process';
import type { ServerProcess } from './harness/server-process';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL } from './options';
import { parseCommandLine } from '../src/cli/command-line';

const HELP = {
  usage: 'npm run bench:risk -- [options]',
  about:
    'What duplicate-risk scoring adds to a create: a server with models/duplicate-risk.json against one without, on one fresh database, taking turns.',
};

const CREATE =
  'mutation($key: String!, $input: CreateOrderInput!) { createOrder(idempotencyKey: $key, input: $input) { __typename ... on OrderCreated { order { id possibleDuplicateOfId } } } }';
const ADDRESS = { line1: '12 Baker Street', city: 'London', postalCode: 'NW1 6XE', country: 'GB' };
const CART = { currency: 'EUR', items: [{ sku: 'RISK-BENCH-1', quantity: 1 }], shippingAddress: ADDRESS };

type Variant = 'plain' | 'scored';
type Kind = 'candidate' | 'fresh';
interface Target {
  variant: Variant;
  server: ServerProcess;
  client: Client;
  jwtSecret: string;
  prefix: string;
}

async function main(): Promise<void> {
  const { values } = parseCommandLine(HELP, {
    options: {
      creates: { type: 'string' },
      rounds: { type: 'string' },
      'database-url': { type: 'string' },
      'redis-url': { type: 'string' },
      'cpu-prof-dir': { type: 'string' },
    },
  });
  const creates = Number(values.creates ?? 800);
  const rounds = Number(values.rounds ?? 4);
  const databaseUrl = values['database-url'] ?? DEFAULT_DATABASE_URL;
  const redisUrl = values['redis-url'] ?? DEFAULT_REDIS_URL;
  const perRound = Math.ceil(creates / rounds);

  const database = await createScratchDatabase(databaseUrl, 'og_bench_risk');
  const targets: Partial<Record<Variant, Target>> = {};
  try {
    await applyMigrations(database.url);
    await seedProduct(database.url);
    for (const variant of ['plain', 'scored'] as const)
      targets[variant] = await startTarget(variant, database.url, redisUrl, values['cpu-prof-dir']);
    const both = targets as Record<Variant, Target>;
    const samples: Record<Variant, Record<Kind, number[]>> = {
      plain: { candidate: [], fresh: [] },
      scored: { candidate: [], fresh: [] },
    };
    const cpuSeconds: Record<Variant, number> = { plain: 0, scored: 0 };
    const load = [os.loadavg()[0]];
    for (let round = 0; round < rounds; round++) {
      const customers = Array.from({ length: perRound }, (_, i) => `r${round}-${i}`);
      for (const variant of ['plain', 'scored'] as const) await seedCandidates(both[variant], customers);
      const cpuBefore = { plain: await cpuSecondsOf(both.plain), scored: await cpuSecondsOf(both.scored) };
      // Request by request, the servers and kinds take turns (who goes first alternates), so a
      // change of the machine's load hits all four series alike.
      for (const [i, customer] of customers.entries()) {
        const order: Variant[] = i % 2 === 0 ? ['plain', 'scored'] : ['scored', 'plain'];
        for (const kind of ['candidate', 'fresh'] as const) {
          for (const variant of order)
            samples[variant][kind].push(await timedCreate(both[variant], `${kind}-${customer}`, kind === 'candidate'));
        }
      }
      for (const variant of ['plain', 'scored'] as const)
        cpuSeconds[variant] += (await cpuSecondsOf(both[variant])) - cpuBefore[variant];
    }
    load.push(os.loadavg()[0]);
    const scoredMetrics = await metricsOf(both.scored.server.url);
    report(samples, { creates: perRound * rounds, rounds, load, scoredMetrics, cpuSeconds });
  } finally {
    for (const target of Object.values(targets)) {
      await target.client.close();
      await target.server.stop();
      await deleteRedisPrefix(target.prefix, redisUrl).catch(() => undefined);
    }
    await dropScratchDatabase(databaseUrl, database.name);
  }
}

async function startTarget(
  variant: Variant,
  databaseUrl: string,
  redisUrl: string,
  cpuProfileDir: string | undefined,
): Promise<Target> {
  const jwtSecret = randomBytes(32).toString('hex');
  const prefix = `og-bench-risk-${variant}:${randomBytes(4).toString('hex')}`;
  const server = await startServerProcess({
    ...(cpuProfileDir ? { cpuProfileDir: path.join(cpuProfileDir, variant) } : {}),
    env: {
      NODE_ENV: 'production',
      JWT_SECRET: jwtSecret,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'warn',
      ORDER_RATE_LIMIT: '999999999/1',
      // FLAG: a candidate never rolls the order back, so both servers commit the same statements.
      SEMANTIC_DUPLICATE_POLICY: 'FLAG',
      ...(variant === 'scored' ? { RISK_MODEL_PATH: path.join(PROJECT_ROOT, 'models/duplicate-risk.json') } : {}),
    },
  });
  return { variant, server, client: new Client(server.url, { pipelining: 1 }), jwtSecret, prefix };
}

/** Each customer's first order, unmeasured, eight at a time: the candidate of its measured one. */
async function seedCandidates(target: Target, customers: readonly string[]): Promise<void> {
  const client = new Pool(target.server.url, { connections: 8 });
  try {
    for (let i = 0; i < customers.length; i += 8) {
      await Promise.all(
        customers.slice(i, i + 8).map(async (customer) => {
          const answer = await postCreate(client, await tokenOf(target, `candidate-${customer}`), `seed-${customer}`);
          if (!answer.includes('"OrderCreated"')) throw new Error(`seeding failed: ${answer}`);
        }),
      );
    }
  } finally {
    await client.close();
  }
}

/** One measured create (ms); a `candidate` create must come back flagged against its seed. */
async function timedCreate(target: Target, customer: string, hasCandidate: boolean): Promise<number> {
  const token = await tokenOf(target, customer);
  const started = performance.now();
  const answer = await postCreate(target.client, token, `bench-${randomBytes(6).toString('hex')}`);
  const elapsed = performance.now() - started;
  const flagged = /"possibleDuplicateOfId":"[0-9a-f-]{36}"/.test(answer);
  if (!answer.includes('"OrderCreated"') || flagged !== hasCandidate)
    throw new Error(`unexpected answer for ${customer}: ${answer}`);
  return elapsed;
}

/** Each server has customers of its own (the servers share the database). */
function tokenOf(target: Target, customer: string): Promise<string> {
  return signViewerToken({ customerId: `${target.variant}-${customer}`, role: 'customer' }, target.jwtSecret, {
    expiresIn: '2h',
  });
}

async function postCreate(client: Client | Pool, token: string, key: string): Promise<string> {
  const response = await client.request({
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: CREATE, variables: { key, input: CART } }),
  });
  return response.body.text();
}

/** The server's CPU time so far (user + system, seconds), from its process metrics. */
async function cpuSecondsOf(target: Target): Promise<number> {
  const text = await (await fetch(`${target.server.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith('process_cpu_seconds_total '));
  if (!line) throw new Error('the server exports no process_cpu_seconds_total');
  return Number(line.split(' ')[1]);
}

/** The scored server's risk counters from /metrics: decisions and store failures. */
async function metricsOf(url: string): Promise<string[]> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => /^order_gate_risk_(decisions_total|feature_store_failures_total|scores_count)/.test(line));
}

function report(
  samples: Record<Variant, Record<Kind, number[]>>,
  run: {
    creates: number;
    rounds: number;
    load: number[];
    scoredMetrics: string[];
    cpuSeconds: Record<Variant, number>;
  },
): void {
  console.log(
    `bench:risk  ${run.creates} creates per server and kind, ${run.rounds} rounds, one connection; FLAG policy`,
  );
  console.log(
    `load average (1 min): ${run.load.map((value) => value.toFixed(2)).join(' at start, ')} at end; ${os.cpus().length} cores`,
  );
  console.log('server   kind        p50 ms   p90 ms   p99 ms');
  for (const variant of ['plain', 'scored'] as const) {
    for (const kind of ['candidate', 'fresh'] as const) {
      const sorted = [...samples[variant][kind]].sort((a, b) => a - b);
      const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(3);
      console.log(
        `${variant.padEnd(8)} ${kind.padEnd(10)} ${q(0.5).padStart(7)}  ${q(0.9).padStart(7)}  ${q(0.99).padStart(7)}`,
      );
    }
  }
  for (const kind of ['candidate', 'fresh'] as const) {
    const [difference, low, high] = medianDifference(samples.scored[kind], samples.plain[kind]);
    console.log(
      `scoring adds to a ${kind} create: p50 ${(difference * 1000).toFixed(0)} µs [${(low * 1000).toFixed(0)}, ${(high * 1000).toFixed(0)}] (bootstrap 95 %)`,
    );
  }
  // Both kinds alternate request by request, so CPU is per create of either kind.
  const cpuPerCreate = (variant: Variant) => (run.cpuSeconds[variant] * 1e6) / (2 * run.creates);
  console.log(
    `server CPU per create (either kind): plain ${cpuPerCreate('plain').toFixed(0)} µs, scored ${cpuPerCreate('scored').toFixed(0)} µs, scoring adds ${(cpuPerCreate('scored') - cpuPerCreate('plain')).toFixed(0)} µs`,
  );
  console.log(`scored server: ${run.scoredMetrics.join('; ')}`);
}

/** median(a) − median(b), with a percentile-bootstrap 95 % interval (1 000 resamples, fixed seed). */
function medianDifference(a: number[], b: number[]): [number, number, number] {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
  const resample = (values: number[]) => values.map(() => values[Math.floor(random() * values.length)]);
  const differences = Array.from({ length: 1_000 }, () => median(resample(a)) - median(resample(b))).sort(
    (x, y) => x - y,
  );
  return [median(a) - median(b), differences[25], differences[974]];
}

async function seedProduct(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "Product" ("id", "sku", "name", "priceCents", "currency", "stock", "updatedAt") VALUES (gen_random_uuid(), 'RISK-BENCH-1', 'Bench tea', 100, 'EUR', 1000000000, now())`,
    );
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
