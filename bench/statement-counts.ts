import { request } from 'undici';
import { createOrderThrough } from './harness/bench-environment';
import type { BenchEnvironment } from './harness/bench-environment';
import { startServerProcess } from './harness/server-process';
import { StatementCounter } from './harness/statement-counter';
import { requestsFor } from './scenarios';
import type { ScenarioName } from './scenarios';

/** SQL statements that reached PostgreSQL for one request of each kind. */
export interface StatementCounts {
  /** `orders(first: N) { items { product { sku } } }` by N: constant when relations are batched. */
  ordersPage: Record<string, number>;
  /** One request of a scenario. */
  perRequest: Partial<Record<ScenarioName, number>>;
}

const ORDERS_PAGE = 'query Page($first: Int) { orders(first: $first) { id items { product { sku } } } }';
const PAGE_SIZES = [1, 10, 50];
const COUNTED_SCENARIOS: ScenarioName[] = ['baseline', 'read', 'duplicate', 'create'];

/**
 * The N+1 check. A third server, sharing the run's database and Redis prefix, reaches PostgreSQL
 * through a proxy that counts every statement on the wire; each request is sent alone and the
 * count taken after it. A customer with 50 orders of three items each is seeded first.
 */
export async function countStatements(environment: BenchEnvironment): Promise<StatementCounts> {
  const { fixtures } = environment;
  const token = fixtures.tokens[fixtures.tokens.length - 1];
  for (let index = 0; index < Math.max(...PAGE_SIZES); index += 1) {
    const items = [0, 1, 2].map((line) => ({
      sku: fixtures.skus[(index * 3 + line) % fixtures.skus.length],
      quantity: 1,
    }));
    await createOrderThrough(environment.servers.main.url, token, `${fixtures.runId}-page-${index}`, {
      currency: 'EUR',
      items,
    });
  }
  const { counter, url: countedUrl } = await StatementCounter.start(environment.databaseUrl);
  // Audit batches go out in the background (their own pool, same proxy): an hour apart, none lands in a count.
  const server = await startServerProcess({
    env: { ...environment.serverEnv, DATABASE_URL: countedUrl, AUDIT_FLUSH_INTERVAL_MS: '3600000' },
  });
  try {
    const count = async (body: string, bearer: string | undefined) => {
      counter.take();
      await post(server.url, body, bearer);
      return counter.take();
    };
    const ordersPage: Record<string, number> = {};
    for (const first of PAGE_SIZES) {
      const body = JSON.stringify({ query: ORDERS_PAGE, variables: { first } });
      await post(server.url, body, token); // the first request of a shape also opens pool connections
      ordersPage[String(first)] = await count(body, token);
    }
    const perRequest: StatementCounts['perRequest'] = {};
    for (const scenario of COUNTED_SCENARIOS) {
      const next = requestsFor(scenario, fixtures, 'counted');
      // Steady state: the same request once before (a repeat's products are then in the catalog
      // cache, as in any running server); a create gets a fresh key each time anyway.
      await post(server.url, next(1, 1).body, next(1, 1).token);
      const counted = scenario === 'create' ? next(1, 2) : next(1, 1);
      perRequest[scenario] = await count(counted.body, counted.token);
    }
    return { ordersPage, perRequest };
  } finally {
    await server.stop();
    await counter.close();
  }
}

async function post(url: string, body: string, token: string | undefined): Promise<void> {
  const response = await request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await response.body.text();
  if (response.statusCode !== 200 || text.includes('"errors":')) throw new Error(`counted request failed: ${text}`);
}
