import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'node:net';
import { customerSubject } from '../../src/risk/risk-counters';
import { seedProducts } from '../support/catalog';
import { postGraphQL } from '../support/graphql-client';
import { issueOrderToken } from '../support/order-client';
import { TEST_REDIS_URL } from '../support/redis';
import { SHIPPED_MODEL_PATH, featureStoreOf, riskMetricsOf, sendOrder } from '../support/risk';
import { withTestServer } from '../support/test-server-fixture';
import { waitUntil } from '../support/wait';

// The customer's duplicate-risk count-and-read rides with the rate limit's call (one Redis round
// trip per scored create fewer): counted here with MONITOR, by the commands naming the customer.
const scored = withTestServer('risk-admission', {
  RISK_MODEL_PATH: SHIPPED_MODEL_PATH,
  SEMANTIC_DUPLICATE_POLICY: 'HOLD',
  RISK_FEATURES_TIMEOUT_MS: '1000',
});
const plain = withTestServer('risk-admission-off');

const cart = {
  currency: 'EUR',
  channel: 'WEB',
  shippingAddress: { name: 'Ada', line1: '12 Baker Street', city: 'London', postalCode: 'NW1 6XE', country: 'GB' },
  items: [{ sku: 'ADMIT-TEA', quantity: 1 }],
};
const customer = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  for (const fixture of [scored, plain])
    await seedProducts(fixture.db.url, [
      { sku: 'ADMIT-TEA', priceCents: 450, stock: 100_000 },
      { sku: 'ADMIT-NONE', priceCents: 450, stock: 0 },
    ]);
});

/**
 * The Redis commands whose arguments name `customerId`, as MONITOR sees them on the shared test
 * Redis (a plain socket: ioredis's monitor mode mixes up replies when the server is busy).
 */
async function commandsNaming(customerId: string, send: () => Promise<unknown>, expected: number): Promise<string[]> {
  const url = new URL(TEST_REDIS_URL);
  const socket = connect(Number(url.port || 6379), url.hostname);
  const seen: string[] = [];
  let buffered = '';
  let started = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\r\n');
    buffered = lines.pop()!;
    // `+<time> [<db> <client>] "<command>" "<arg>" …`; a script's own commands show as from `lua`.
    for (const line of lines) {
      if (line === '+OK') started = true;
      const source = /^\+\S+ \[\d+ (\S+)\] "([^"]+)"/.exec(line);
      if (source && source[1] !== 'lua' && line.includes(customerId)) seen.push(source[2].toLowerCase());
    }
  });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write('MONITOR\r\n');
  await waitUntil('MONITOR to start', () => Promise.resolve(started));
  try {
    await send();
    await waitUntil(`${expected} commands naming ${customerId}`, () => Promise.resolve(seen.length >= expected));
    // Time for a command more (the risk layer's, on a later turn) to show up.
    await sleep(300);
    return seen;
  } finally {
    socket.destroy();
  }
}

describe('the risk count-and-read with the rate limit', () => {
  it('a scored create sends the commands of an unscored one (rate limit with the risk count, claim, completion), a held one only its hold count more', async () => {
    // Scripts loaded first: a first EVALSHA answered NOSCRIPT is sent again as EVAL.
    await sendOrder(scored.server, customer('warm'), cart);
    await sendOrder(plain.server, customer('warm'), cart);
    const ada = customer('ada');
    const bea = customer('bea');

    const plainCreate = await commandsNaming(bea, () => sendOrder(plain.server, bea, cart), 3);
    const first = await commandsNaming(ada, () => sendOrder(scored.server, ada, cart), 3);
    let held: unknown;
    const again = await commandsNaming(ada, async () => (held = await sendOrder(scored.server, ada, cart)), 4);

    expect(plainCreate).toHaveLength(3);
    expect(first).toHaveLength(3);
    expect(held).toMatchObject({ __typename: 'PossibleDuplicate' });
    expect(again).toHaveLength(4);
  });

  it('an attempt refused in its transaction is taken back with its count as a request in one command; one refused before admission is only counted', async () => {
    await sendOrder(scored.server, customer('warm'), { ...cart, items: [{ sku: 'ADMIT-NONE', quantity: 1 }] });
    const gus = customer('gus');
    let refused: unknown;
    const scarce = await commandsNaming(
      gus,
      async () =>
        (refused = await sendOrder(scored.server, gus, { ...cart, items: [{ sku: 'ADMIT-NONE', quantity: 1 }] })),
      4,
    );
    expect(refused).toMatchObject({ __typename: 'InsufficientStock' });
    // Rate limit with the risk count, claim, its release; the withdrawal with the request's count.
    expect(scarce).toHaveLength(4);
    expect(scarce.slice(3)).toEqual(['evalsha']);
    const counters = await featureStoreOf(scored.server).record(customerSubject(gus), {}, Date.now());
    expect(counters.arrivals.last1m).toBe(0);
    expect(counters.history.orders).toBeCloseTo(0, 3);
    expect(counters.history.requests).toBeCloseTo(1, 3);
    const invalid = await commandsNaming(
      gus,
      async () => (refused = await sendOrder(scored.server, gus, { ...cart, currency: 'EURO' })),
      3,
    );
    expect(refused).toMatchObject({ __typename: 'ValidationFailed' });
    // The key's read (GET, PEXPIRETIME: a retry of an accepted request gets its answer), the request's count.
    expect(invalid).toEqual(['get', 'pexpiretime', 'evalsha']);
  });

  it('counts the customer once per create, as before: arrivals, requests and orders; and scores from those counts', async () => {
    const cid = customer('cid');
    const first = await sendOrder(scored.server, cid, cart);
    const again = await sendOrder(scored.server, cid, cart);
    expect(first.__typename).toBe('OrderCreated');
    expect(again).toMatchObject({ __typename: 'PossibleDuplicate', candidate: { id: first.order!.id } });
    expect(again.riskScore).toEqual(expect.any(Number));

    const store = featureStoreOf(scored.server);
    await waitUntil(
      'the hold to be counted',
      async () => (await store.record(customerSubject(cid), {}, Date.now())).recent.holds > 0.99,
    );
    const counters = await store.record(customerSubject(cid), {}, Date.now());
    expect(counters.arrivals.last1m).toBe(2);
    expect(counters.history.orders).toBeCloseTo(2, 3);
    expect(counters.history.requests).toBeCloseTo(2, 3);
    expect(counters.history.holds).toBeCloseTo(1, 3);
    expect((await riskMetricsOf(scored.server)).readFailures).toBe(0);
  });

  it('an attempt with an order token counts itself only if it reaches scoring: refused at the token, it is not counted (its retries neither)', async () => {
    const eve = customer('eve');
    const stranger = await issueOrderToken(scored.server, await scored.server.tokenFor(customer('other')));
    for (let i = 0; i < 3; i++)
      expect(await sendOrder(scored.server, eve, { ...cart, orderToken: stranger.token })).toMatchObject({
        __typename: 'InvalidOrderToken',
      });
    const counters = await featureStoreOf(scored.server).record(customerSubject(eve), {}, Date.now());
    expect(counters.arrivals.last1m).toBe(0);
  });

  it('two createOrder fields in one operation: each placement gets its own admission’s count, never the other’s', async () => {
    const fay = customer('fay');
    const bearer = await scored.server.tokenFor(fay);
    const { token } = await issueOrderToken(scored.server, bearer);
    // b carries an order token: nothing rides with its admission, so it must count itself, not
    // take the count a's admission left on the (shared) context.
    const response = await postGraphQL<Record<'a' | 'b', { __typename: string }>>(
      scored.server.url,
      `mutation($ka: String!, $kb: String!, $a: CreateOrderInput!, $b: CreateOrderInput!) {
        a: createOrder(idempotencyKey: $ka, input: $a) { __typename }
        b: createOrder(idempotencyKey: $kb, input: $b) { __typename }
      }`,
      {
        ka: `key-${randomUUID()}`,
        kb: `key-${randomUUID()}`,
        a: cart,
        b: { ...cart, items: [{ sku: 'ADMIT-TEA', quantity: 5 }], orderToken: token },
      },
      { token: bearer },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.a.__typename).toBe('OrderCreated');
    const counters = await featureStoreOf(scored.server).record(customerSubject(fay), {}, Date.now());
    // Two attempts, two arrivals (as training counts two audit rows), though one HTTP request; two orders.
    expect(counters.arrivals.last1m).toBe(2);
    expect(counters.history.orders).toBeCloseTo(2, 3);
  });
});
