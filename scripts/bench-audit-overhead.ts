/**
 * Before/after timing of the duplicate fast path with and without audit recording:
 *
 *   npm run build && node dist/scripts/bench-audit-overhead.js [N=2000] [rounds=3]
 *
 * Starts the real server in this process against a scratch database on DATABASE_URL's server,
 * creates one order, then sends N sequential repeats (DuplicateDetected from the CACHE) over HTTP,
 * alternately with the audit observer recording and with its enqueue replaced by a no-op ("before").
 * Prints the median and p99 per request of each. Not a test: timings are never asserted.
 */
import { loadConfig } from '../src/config/config';
import { createApp } from '../src/app/create-app';
import { signViewerToken } from '../src/auth/jwt';
import { applyMigrations } from '../src/db/migrations/migrator';
import { createScratchDatabase, dropScratchDatabase } from '../test/support/scratch-database';
import { createLogger } from '../src/observability/logger';

const MUTATION = `mutation ($key: String!, $input: CreateOrderInput!) { createOrder(idempotencyKey: $key, input: $input) { __typename } }`;

async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? 2_000);
  const rounds = Number(process.argv[3] ?? 3);
  const serverUrl = process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const scratch = await createScratchDatabase(serverUrl, 'og_bench_audit');
  try {
    await applyMigrations(scratch.url);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: scratch.url, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `bench-audit-${process.pid}` });
    const app = await createApp(config, createLogger('silent'));
    const url = `${await app.start()}/graphql`;
    const token = await signViewerToken({ customerId: 'bench', role: 'customer' }, config.jwtSecret);
    const admin = await signViewerToken({ customerId: 'ops', role: 'admin' }, config.jwtSecret);
    const post = (body: object, bearer = token) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) }).then((r) => r.json());
    await post({ query: 'mutation { upsertProduct(input: {sku: "BENCH-1", name: "b", priceCents: 100, currency: "EUR", stock: 1000}) { sku } }' }, admin);
    const variables = { key: 'bench-duplicate-key', input: { currency: 'EUR', items: [{ sku: 'BENCH-1', quantity: 1 }] } };
    await post({ query: MUTATION, variables });

    const realEnqueue = app.services.auditLog.enqueue.bind(app.services.auditLog);
    const run = async (label: string) => {
      const times: number[] = [];
      for (let index = 0; index < requests; index++) {
        const started = performance.now();
        await post({ query: MUTATION, variables });
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(3);
      console.log(`${label.padEnd(14)} n=${requests} median=${at(0.5)} ms p99=${at(0.99)} ms`);
    };
    await run('warm-up');
    for (let round = 0; round < rounds; round++) {
      app.services.auditLog.enqueue = () => undefined;
      await run('without audit');
      app.services.auditLog.enqueue = realEnqueue;
      await run('with audit');
    }
    await app.stop();
  } finally {
    await dropScratchDatabase(serverUrl, scratch.name);
  }
}

void main();
