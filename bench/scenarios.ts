import type { GraphQLRequest, RequestFor } from './load/http-sender';

/** Every scenario `npm run bench` knows, in the order it runs them. */
export const SCENARIO_NAMES = [
  'baseline',
  'read',
  'duplicate',
  'duplicate-db',
  'create',
  'storm',
  'raw-sql',
  'create-hot',
  'raw-hot',
  'flash-sale',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** What the load generator knows of the seeded data. */
export interface BenchFixtures {
  /** A unique tag of this run, part of every new idempotency key. */
  runId: string;
  /** SKUs with plenty of stock. */
  skus: readonly string[];
  /** One more SKU with plenty of stock that every order of `create-hot` and `raw-hot` buys. */
  hotSku: string;
  /** A bearer token per bench customer. */
  tokens: readonly string[];
  /** Orders created before measuring: what `read` reads and `duplicate` repeats. */
  orders: readonly SeededOrder[];
}

export interface SeededOrder {
  id: string;
  customer: number;
  key: string;
  /** The createOrder variables' `input` it was created with. */
  input: OrderInput;
}

export interface OrderInput {
  currency: string;
  items: { sku: string; quantity: number }[];
  shippingAddress?: Record<string, string>;
}

/** The fields of an order that both the duplicate answer and `read` select. */
const ORDER_FIELDS =
  'id status currency totalCents createdAt items { sku quantity unitPriceCents product { sku name } }';

export const CREATE_ORDER = `mutation CreateOrder($key: String!, $input: CreateOrderInput!) {
  createOrder(idempotencyKey: $key, input: $input) {
    __typename
    ... on OrderCreated { order { ${ORDER_FIELDS} } }
    ... on DuplicateDetected { detectedBy originalOrder { ${ORDER_FIELDS} } }
    ... on RequestInProgress { retryAfterMs }
  }
}`;
const READ_ORDER = `query ReadOrder($id: ID!) { order(id: $id) { __typename ${ORDER_FIELDS} } }`;
const BASELINE = '{ __typename }';

/** How a scenario is driven and what it must answer. */
export interface Scenario {
  name: ScenarioName;
  /** One line for the README and the table: what the figure means. */
  measures: string;
  /** Which server takes the load; `sql` is PostgreSQL itself, no server. */
  target: 'main' | 'no-redis' | 'sql';
  /**
   * `rounds`: all connections send the same request at once, round after round (storm). `event`:
   * one event of its own shape, measured once (the flash sale, bench/flash-sale.ts).
   */
  shape: 'closed' | 'rounds' | 'event';
  /** The answers that count as success. */
  expected: ReadonlySet<string>;
}

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  baseline: {
    name: 'baseline',
    measures: '`{ __typename }`: HTTP + Apollo, the GraphQL floor',
    target: 'main',
    shape: 'closed',
    expected: new Set(['Query']),
  },
  read: {
    name: 'read',
    measures: '`order(id:)` of an existing order, the fields the duplicate answer selects',
    target: 'main',
    shape: 'closed',
    expected: new Set(['Order']),
  },
  duplicate: {
    name: 'duplicate',
    measures: 'createOrder repeating a completed key: DuplicateDetected from Redis',
    target: 'main',
    shape: 'closed',
    expected: new Set(['DuplicateDetected']),
  },
  'duplicate-db': {
    name: 'duplicate-db',
    measures: 'the same repeats on a server whose Redis is unreachable: the database answers',
    target: 'no-redis',
    shape: 'closed',
    expected: new Set(['DuplicateDetected']),
  },
  create: {
    name: 'create',
    measures: 'createOrder with a fresh key each time (claim + transaction + complete)',
    target: 'main',
    shape: 'closed',
    expected: new Set(['OrderCreated']),
  },
  storm: {
    name: 'storm',
    measures: 'every connection sends the same new key at once, round after round',
    target: 'main',
    shape: 'rounds',
    expected: new Set(['OrderCreated', 'DuplicateDetected', 'RequestInProgress']),
  },
  'raw-sql': {
    name: 'raw-sql',
    measures: "createOrder's SQL transaction straight through `pg`, no claim, no GraphQL: the floor of create",
    target: 'sql',
    shape: 'closed',
    expected: new Set(['sql']),
  },
  'create-hot': {
    name: 'create-hot',
    measures: 'createOrder with a fresh key each time, every order buying the same one SKU (a hot row)',
    target: 'main',
    shape: 'closed',
    expected: new Set(['OrderCreated']),
  },
  'raw-hot': {
    name: 'raw-hot',
    measures:
      'the minimal transaction on that same SKU straight through `pg` (insert order, lock and decrement stock, insert item, total, commit): the floor of create-hot',
    target: 'sql',
    shape: 'closed',
    expected: new Set(['sql']),
  },
  'flash-sale': {
    name: 'flash-sale',
    measures: 'one SKU of limited stock, many customers at once, a third of them bots firing each request 3×',
    target: 'main',
    shape: 'event',
    expected: new Set(['OrderCreated', 'DuplicateDetected', 'RequestInProgress', 'InsufficientStock']),
  },
};

/**
 * The cart of new intent number `intent`: two neighbouring SKUs, spread so that concurrent orders
 * rarely lock the same rows, and a quantity that makes every intent's cart different. A customer
 * sending the same cart again under a new key within minutes is what the live semantic check
 * holds as PossibleDuplicate; `create` and `storm` measure new intents, so no cart repeats.
 */
export function linesFor(fixtures: BenchFixtures, intent: number): OrderInput['items'] {
  const { skus } = fixtures;
  const first = (intent * 7) % skus.length;
  return [
    // 3: never the seeded orders' first quantity (1), so no new cart equals a seeded one.
    { sku: skus[first], quantity: 3 },
    { sku: skus[(first + 1) % skus.length], quantity: 1 + Math.floor(intent / skus.length) },
  ];
}

/** Numbers new intents across the whole run (create points and raw-sql draw from it too). */
let nextIntent = 0;
export function newIntent(): number {
  return nextIntent++;
}

/**
 * The `hotIntent`-th order of the hot scenarios: one unit more per round of customers, so that no
 * customer sends the same cart twice (which the live semantic check would hold as a possible duplicate).
 */
export function hotOrder(
  fixtures: BenchFixtures,
  hotIntent: number,
): { customer: number; line: OrderInput['items'][0] } {
  const customers = fixtures.tokens.length;
  return {
    customer: hotIntent % customers,
    line: { sku: fixtures.hotSku, quantity: 1 + Math.floor(hotIntent / customers) },
  };
}

/** Numbers the hot scenarios' intents (create-hot and raw-hot draw from it). */
let nextHotIntent = 0;
export function newHotIntent(): number {
  return nextHotIntent++;
}

/** Intents a storm point may use: each point (warm-up included) reserves a fresh block. */
const STORM_ROUNDS_MAX = 20_000;

/** Pre-serialised bodies where the request never changes, so the load generator spends little per request. */
export function requestsFor(scenario: ScenarioName, fixtures: BenchFixtures, pointId: string): RequestFor {
  const { orders, tokens } = fixtures;
  // Workers walk the seeded orders at different offsets, so concurrent requests rarely share one.
  const spread =
    <T>(requests: readonly T[]) =>
    (worker: number, sequence: number) =>
      requests[(worker + sequence * 7) % requests.length];
  switch (scenario) {
    case 'baseline': {
      const request: GraphQLRequest = { body: JSON.stringify({ query: BASELINE }), token: tokens[0] };
      return () => request;
    }
    case 'read': {
      return spread(
        orders.map((order) => ({
          body: JSON.stringify({ query: READ_ORDER, variables: { id: order.id } }),
          token: tokens[order.customer],
        })),
      );
    }
    case 'duplicate':
    case 'duplicate-db': {
      return spread(
        orders.map((order) => ({ body: createBody(order.key, order.input), token: tokens[order.customer] })),
      );
    }
    case 'create':
      return (worker, sequence) => ({
        body: createBody(`${fixtures.runId}-${pointId}-${worker}-${sequence}`, {
          currency: 'EUR',
          items: linesFor(fixtures, newIntent()),
        }),
        token: tokens[worker % tokens.length],
      });
    case 'storm': {
      // The round number is the sequence: every worker of a round sends the same key and payload.
      const firstIntent = nextIntent;
      nextIntent += STORM_ROUNDS_MAX;
      return (_worker, round) => ({
        body: createBody(`${fixtures.runId}-${pointId}-storm-${round}`, {
          currency: 'EUR',
          items: linesFor(fixtures, firstIntent + (round % STORM_ROUNDS_MAX)),
        }),
        token: tokens[0],
      });
    }
    case 'create-hot':
      return (worker, sequence) => {
        const { customer, line } = hotOrder(fixtures, newHotIntent());
        return {
          body: createBody(`${fixtures.runId}-${pointId}-${worker}-${sequence}`, { currency: 'EUR', items: [line] }),
          token: tokens[customer],
        };
      };
    case 'raw-sql':
    case 'raw-hot':
      throw new Error(`${scenario} sends no GraphQL`);
    case 'flash-sale':
      throw new Error('the flash sale sends its own requests (bench/flash-sale.ts)');
  }
}

function createBody(key: string, input: OrderInput): string {
  return JSON.stringify({ query: CREATE_ORDER, variables: { key, input } });
}
