import { randomUUID } from 'node:crypto';
import { compareWithMatcher } from '../../scripts/risk-data';
import { readAuditHistory } from '../../scripts/risk-training/audit-log-reader';
import { buildTrainingSet, replayedCounters } from '../../scripts/risk-training/training-set';
import * as orderWrite from '../../src/orders/order-write';
import { RISK_COUNTER_NAMES, customerSubject, sourceSubject } from '../../src/risk/risk-counters';
import type { SubjectCounters } from '../../src/risk/risk-counters';
import * as features from '../../src/risk/risk-features';
import { RISK_FEATURE_NAMES } from '../../src/risk/risk-features';
import { RateLimitWithRisk } from '../../src/rate-limit/rate-limit-with-risk';
import { RedisRiskFeatureStore } from '../../src/risk/risk-feature-store';
import { claimKey } from '../../src/stores/store-keys';
import { seedProducts } from '../support/catalog';
import { post, signDelivery } from '../support/channels';
import { postGraphQL } from '../support/graphql-client';
import { issueOrderToken } from '../support/order-client';
import { SHIPPED_MODEL_PATH, featureStoreOf, riskMetricsOf, sendOrder } from '../support/risk';
import { withTestServer } from '../support/test-server-fixture';
import { waitUntil } from '../support/wait';

/**
 * Every kind of createOrder attempt, counted live as training counts it from the audit row it
 * leaves (or does not leave): one customer sends a mixed sequence (a created order, its retry, its
 * key reused, too little stock, an unknown SKU found in the transaction, an input refused before
 * admission, a malformed key, a bad order token, a repeat only the database recognises, a
 * transaction that throws, one that fails on the database), another customer of the same source
 * is refused by the rate limit, then the first sends a retyped repeat the model scores. The live
 * counters (both customers and the source) must equal the replay's over the resulting audit log,
 * and the scored repeat's feature vector must be the one training builds for it.
 */

const MARKETPLACE_SECRET = 'acme-webhook-secret-for-counting';
const fixture = withTestServer('risk-counting', {
  RISK_MODEL_PATH: SHIPPED_MODEL_PATH,
  SEMANTIC_DUPLICATE_POLICY: 'HOLD',
  // Counting is under test, not the budget: a stalled event loop must not leave the rule to decide.
  RISK_FEATURES_TIMEOUT_MS: '1000',
  // Room for the scored customer's attempts; another one's tenth within the minute is refused.
  ORDER_RATE_LIMIT: '9/60',
  MARKETPLACE_WEBHOOK_SECRETS: `acme=${MARKETPLACE_SECRET}`,
});
const address = { line1: '221B Baker Street', line2: 'Flat 4', city: 'London', postalCode: 'NW1 6XE', country: 'GB' };
const retyped = { ...address, line1: '221B Bkaer Stret', city: 'Lodnon' };
const cart = (sku: string, shippingAddress: object = address, quantity = 1) => ({
  currency: 'EUR',
  channel: 'WEB',
  shippingAddress,
  items: [{ sku, quantity }],
});
const startedAt = new Date(Date.now() - 60_000);
/** Rates and counters decayed to the live clock and to the audit records' (ms apart). */
const DECAYED_FEATURES = new Set<string>([
  'customer_retry_rate',
  'customer_hold_rate',
  'customer_override_rate',
  'source_retry_rate',
  'source_hold_rate',
]);

beforeAll(async () => {
  await seedProducts(fixture.db.url, [
    { sku: 'COUNT-1', priceCents: 500, stock: 100_000 },
    { sku: 'COUNT-2', priceCents: 700, stock: 100_000 },
    { sku: 'COUNT-SCARCE', priceCents: 500, stock: 0 },
  ]);
});

afterEach(() => jest.restoreAllMocks());

/** createOrder expected to fail with a GraphQL error (nothing in the union answered it). */
/**
 * Holds back the calls of a real method that `held` picks until the returned function is called
 * (a late answer, injected): they then run as they would have. jest.restoreAllMocks() undoes it.
 */
function holdBack<T extends object, K extends keyof T>(
  prototype: T,
  method: K,
  held: (...args: unknown[]) => boolean,
): () => void {
  const original = prototype[method] as (...args: unknown[]) => Promise<unknown>;
  let release!: () => void;
  const late = new Promise<void>((resolve) => (release = resolve));
  (jest.spyOn(prototype, method as never) as jest.SpyInstance).mockImplementation(function (
    this: T,
    ...args: unknown[]
  ) {
    return held(...args) ? late.then(() => original.apply(this, args)) : original.apply(this, args);
  });
  return release;
}

async function sendFailing(who: string, input: object, key = `key-${randomUUID()}`): Promise<string> {
  const response = await postGraphQL<{ createOrder: unknown }>(
    fixture.server.url,
    'mutation($key: String!, $input: CreateOrderInput!) { createOrder(idempotencyKey: $key, input: $input) { __typename } }',
    { key, input },
    { token: await fixture.server.tokenFor(who) },
  );
  return String(response.body.errors?.[0]?.extensions?.['code']);
}

/** The counters as one table; `windows`: with the arrivals (the source's are not kept live: no feature reads them). */
function table(counters: SubjectCounters, windows: boolean): Record<string, number> {
  const row: Record<string, number> = windows ? { ...counters.arrivals } : {};
  for (const name of RISK_COUNTER_NAMES) row[name] = counters.recent[name];
  return row;
}

/**
 * A replayed table as expected values: arrivals and features exact but for what decays (to 2 and 4
 * decimals: decayed from the live clocks' times and from the audit records', milliseconds apart;
 * a skew is a whole count).
 */
function closeTo(trained: Record<string, number>): Record<string, unknown> {
  const expected: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(trained)) {
    if (DECAYED_FEATURES.has(name)) expected[name] = expect.closeTo(value, 4);
    else if ((RISK_COUNTER_NAMES as readonly string[]).includes(name)) expected[name] = expect.closeTo(value, 2);
    else expected[name] = value;
  }
  return expected;
}

/**
 * The live counters of `subjects` (by label; a customer's with its arrivals, a source's without)
 * and the replay of the audit log they left, as expected values; once the counts on their way and
 * the audit rows are written.
 */
async function liveAndTrained(subjects: Record<string, string>) {
  await fixture.server.app.services.risk!.flush();
  await fixture.server.app.services.auditLog.flush();
  const history = await readAuditHistory((sql, params) => fixture.db.query(sql, params), startedAt);
  const now = Date.now();
  const store = featureStoreOf(fixture.server);
  const live: Record<string, Record<string, number>> = {};
  const trained: Record<string, Record<string, unknown>> = {};
  for (const [label, subject] of Object.entries(subjects)) {
    // A customer's arrivals; a source's are not kept live (no feature reads them).
    const windows = subject === customerSubject(subject.slice(2));
    live[label] = table(await store.record(subject, {}, now), windows);
    trained[label] = closeTo(table(replayedCounters(history, { compare: compareWithMatcher }, subject, now), windows));
  }
  return { live, trained, history };
}

function vectorOf(vector: Float64Array): Record<string, number> {
  return Object.fromEntries(RISK_FEATURE_NAMES.map((name, i) => [name, vector[i]]));
}

describe('every kind of createOrder attempt, live and in training', () => {
  it('leaves the customer and the source with the counters training replays from the audit log', async () => {
    const who = `count-${randomUUID().slice(0, 8)}`;
    const firstKey = `first-${randomUUID()}`;
    const answers: string[] = [];
    const answer = async (sent: Promise<{ __typename: string }>) => answers.push((await sent).__typename);

    await answer(sendOrder(fixture.server, who, cart('COUNT-1'), firstKey));
    await answer(sendOrder(fixture.server, who, cart('COUNT-1'), firstKey));
    await answer(sendOrder(fixture.server, who, cart('COUNT-1', address, 2), firstKey));
    await answer(sendOrder(fixture.server, who, cart('COUNT-SCARCE')));
    await answer(sendOrder(fixture.server, who, cart('COUNT-UNKNOWN')));
    await answer(sendOrder(fixture.server, who, { ...cart('COUNT-1'), currency: 'EURO' }));
    await answer(sendOrder(fixture.server, who, cart('COUNT-1'), 'short'));
    await answer(sendOrder(fixture.server, who, { ...cart('COUNT-1'), orderToken: 'not-a-token' }));
    // The claim store forgot the first key (its retention ended): only the database knows it.
    await fixture.server.app.redis!.del(claimKey(fixture.server.config.redisKeyPrefix, who, firstKey));
    await answer(sendOrder(fixture.server, who, cart('COUNT-1'), firstKey));
    jest.spyOn(orderWrite, 'runOrderTransaction').mockRejectedValueOnce(new Error('a defect'));
    answers.push(await sendFailing(who, cart('COUNT-1')));
    const timeout = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    jest.spyOn(orderWrite, 'runOrderTransaction').mockRejectedValueOnce(timeout);
    answers.push(await sendFailing(who, cart('COUNT-1')));
    expect(answers).toEqual([
      'OrderCreated',
      'DuplicateDetected',
      'IdempotencyKeyReused',
      'InsufficientStock',
      'ValidationFailed',
      'ValidationFailed',
      'InvalidIdempotencyKey',
      'InvalidOrderToken',
      'DuplicateDetected',
      'INTERNAL_SERVER_ERROR',
      'SERVICE_UNAVAILABLE',
    ]);

    // Another customer of the same source, refused by the rate limit at its tenth attempt.
    const other = `count-${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 9; i++)
      expect(await sendOrder(fixture.server, other, cart('COUNT-SCARCE'))).toMatchObject({
        __typename: 'InsufficientStock',
      });
    expect(await sendFailing(other, cart('COUNT-1'))).toBe('RATE_LIMITED');

    // The source's counters are read by each process at most once a second: let them catch up.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const live = jest.spyOn(features, 'riskFeatures');
    const repeatKey = `repeat-${randomUUID()}`;
    expect(await sendOrder(fixture.server, who, cart('COUNT-1', retyped), repeatKey)).toMatchObject({
      __typename: 'PossibleDuplicate',
    });
    expect(live).toHaveBeenCalledTimes(1);
    const liveVector = live.mock.results[0].value as Float64Array;

    const {
      live: liveSide,
      trained: trainedSide,
      history,
    } = await liveAndTrained({
      customer: customerSubject(who),
      other: customerSubject(other),
      source: sourceSubject('WEB'),
    });
    const point = buildTrainingSet(history, { compare: compareWithMatcher }).find(
      (candidate) => candidate.customerId === who && candidate.idempotencyKey === repeatKey,
    );
    expect(point?.features).toBeInstanceOf(Float64Array);
    expect({ ...liveSide, features: vectorOf(liveVector) }).toEqual({
      ...trainedSide,
      features: closeTo(vectorOf(point!.features!)),
    });
  });
});

/**
 * Attempts that share a request id (the fields of one operation, the receipts of one POS upload,
 * requests sent with one X-Request-Id): each is one arrival, as each is one audit row, and taking
 * back one of them leaves its siblings' arrivals where they are.
 */
describe('attempts sharing a request', () => {
  it('each receipt of a POS upload is one arrival of its loyalty customer, one refused among them too; its store counts all three', async () => {
    const who = `count-${randomUUID().slice(0, 8)}`;
    const store = `store-${randomUUID().slice(0, 8)}`;
    const csv = [
      'store,receipt,sku,quantity,currency,customer',
      `${store},R1,COUNT-1,1,EUR,${who}`,
      `${store},R2,COUNT-SCARCE,1,EUR,${who}`,
      `${store},R3,COUNT-2,4,EUR,${who}`,
    ];
    const response = await post(fixture.server.url, '/channels/pos/receipts', `${csv.join('\n')}\n`, {
      authorization: `Bearer ${await fixture.server.tokenFor('pos-ops', 'admin')}`,
      'content-type': 'text/csv',
    });
    expect(response.status).toBe(200);
    const report = JSON.parse(response.text.trim().split('\n').at(-1)!) as Record<string, number>;
    // Two sales placed (the model may hold the second: a hold is an arrival too), the scarce one refused.
    expect({ placed: report['created'] + report['held'], rejected: report['rejected'] }).toEqual({
      placed: 2,
      rejected: 1,
    });

    // The store's counters too: a refused receipt (no order names its store) is counted for the
    // store live, and must be in training, from its audit row.
    const { live, trained } = await liveAndTrained({
      customer: customerSubject(who),
      source: sourceSubject('POS', store),
    });
    expect(live['source']['requests']).toBeCloseTo(3, 2);
    expect(live).toEqual(trained);
  });

  it('each createOrder field of one operation is one arrival, and so is each request sent with one X-Request-Id', async () => {
    const who = `count-${randomUUID().slice(0, 8)}`;
    const bearer = await fixture.server.tokenFor(who);
    const fields = await postGraphQL<Record<string, { __typename: string }>>(
      fixture.server.url,
      `mutation($a: CreateOrderInput!, $b: CreateOrderInput!, $c: CreateOrderInput!) {
        a: createOrder(idempotencyKey: "${`a-${randomUUID()}`}", input: $a) { __typename }
        b: createOrder(idempotencyKey: "${`b-${randomUUID()}`}", input: $b) { __typename }
        c: createOrder(idempotencyKey: "${`c-${randomUUID()}`}", input: $c) { __typename }
      }`,
      { a: cart('COUNT-1'), b: cart('COUNT-SCARCE'), c: cart('COUNT-2', address, 3) },
      { token: bearer },
    );
    const placed = expect.stringMatching(/^(OrderCreated|PossibleDuplicate)$/);
    expect(fields.body.data).toEqual({
      a: { __typename: placed },
      b: { __typename: 'InsufficientStock' },
      c: { __typename: placed },
    });

    const requestId = `shared-${randomUUID()}`;
    const sameId = (input: object) =>
      postGraphQL<{ createOrder: { __typename: string } }>(
        fixture.server.url,
        'mutation($key: String!, $input: CreateOrderInput!) { createOrder(idempotencyKey: $key, input: $input) { __typename } }',
        { key: `key-${randomUUID()}`, input },
        { token: bearer, headers: { 'x-request-id': requestId } },
      ).then((sent) => sent.body.data?.createOrder.__typename);
    const answers = [];
    for (const quantity of [5, 6, 7]) answers.push(await sameId(cart('COUNT-2', address, quantity)));
    answers.push(await sameId(cart('COUNT-SCARCE')));
    expect(answers).toEqual([placed, placed, placed, 'InsufficientStock']);

    const { live, trained } = await liveAndTrained({ customer: customerSubject(who) });
    expect(live).toEqual(trained);
  });
});

/**
 * A held key sent again is the same attempt retried (docs/order-lifecycle.md, "Held orders"): it is
 * answered with its hold, not scored anew, and counted as a retry, live and in training, so that
 * resends do not read as new orders and push the customer's own score up.
 */
describe('a held key sent again', () => {
  it('answers the hold as it was, counts a retry each time, and keeps the counters training replays', async () => {
    const who = `count-${randomUUID().slice(0, 8)}`;
    const before = await riskMetricsOf(fixture.server);
    const first = await sendOrder(fixture.server, who, cart('COUNT-2'));
    expect(first.__typename).toBe('OrderCreated');
    const heldKey = `held-${randomUUID()}`;
    const scored = jest.spyOn(features, 'riskFeatures');
    const held = await sendOrder(fixture.server, who, cart('COUNT-2'), heldKey);
    expect(held).toMatchObject({ __typename: 'PossibleDuplicate', candidate: { id: first.order!.id } });
    expect(held.riskScore).toEqual(expect.any(Number));
    const resends = [];
    for (let i = 0; i < 3; i++) resends.push(await sendOrder(fixture.server, who, cart('COUNT-2'), heldKey));
    expect(resends).toEqual([held, held, held]);
    // Scored once: the hold; its resends are answered with it.
    expect(scored).toHaveBeenCalledTimes(1);
    const after = await riskMetricsOf(fixture.server);
    expect((after.decisions['hold/model'] ?? 0) - (before.decisions['hold/model'] ?? 0)).toBe(1);
    expect(after.scores - before.scores).toBe(1);

    const confirmed = await sendOrder(fixture.server, who, { ...cart('COUNT-2'), confirmPossibleDuplicate: true });
    expect(confirmed.__typename).toBe('OrderCreated');
    const { live, trained } = await liveAndTrained({
      customer: customerSubject(who),
      source: sourceSubject('WEB'),
    });
    // The first order, its hold and the confirmation are orders; the three resends retries.
    expect(live['customer']).toMatchObject({
      requests: expect.closeTo(6, 2),
      orders: expect.closeTo(3, 2),
      retries: expect.closeTo(3, 2),
      holds: expect.closeTo(1, 2),
    });
    expect(live).toEqual(trained);
    // Each send is audited; the resends say what they are (a repeat the held order recognised).
    const rows = await fixture.db.query<{ outcome: string; source: string | null; riskScore: number | null }>(
      `SELECT "outcome", "source", "riskScore" FROM "IdempotencyAuditEvent" WHERE "customerId" = $1 ORDER BY "at", "id"`,
      [who],
    );
    expect(rows.map((row) => [row.outcome, row.source])).toEqual([
      ['created', null],
      ['possible_duplicate_held', null],
      ['possible_duplicate_held', 'HELD'],
      ['possible_duplicate_held', 'HELD'],
      ['possible_duplicate_held', 'HELD'],
      ['possible_duplicate_confirmed', null],
    ]);
    // Not a decision of its own: no score recorded for a resend.
    expect(rows.slice(2, 5).map((row) => row.riskScore)).toEqual([null, null, null]);
  });
});

/**
 * A door that names a source within its channel (a marketplace, a POS store): every request of it,
 * refused ones too, is counted for that source, live and in training (its audit row keeps it).
 */
describe("a door's sources", () => {
  it('a marketplace’s deliveries, refused in the transaction, for an unknown SKU, held: counted for the marketplace, live and in training', async () => {
    const buyer = `buyer-${randomUUID().slice(0, 8)}`;
    const deliver = async (sku: string, quantity = 1) => {
      const body = JSON.stringify({
        orderId: `MKT-${randomUUID()}`,
        customerId: buyer,
        currency: 'EUR',
        items: [{ sku, quantity }],
      });
      const response = await post(
        fixture.server.url,
        '/channels/marketplace/acme/orders',
        body,
        signDelivery(MARKETPLACE_SECRET, body),
      );
      return response.status;
    };
    const statuses = [
      await deliver('COUNT-1'),
      await deliver('COUNT-SCARCE'),
      await deliver('COUNT-UNKNOWN'),
      // The first one's cart again, under another marketplace order: held (no order row names its source).
      await deliver('COUNT-1'),
    ];
    // Placed, two refusals (422), held (202).
    expect(statuses).toEqual([200, 422, 422, 202]);

    const { live, trained } = await liveAndTrained({
      customer: customerSubject(buyer),
      source: sourceSubject('MARKETPLACE', 'acme'),
    });
    expect({ requests: live['source']['requests'], holds: live['source']['holds'] }).toEqual({
      requests: expect.closeTo(4, 2),
      holds: expect.closeTo(1, 2),
    });
    expect(live).toEqual(trained);
  });
});

/**
 * An attempt whose count is not known to have happened is not taken back: the counters would go
 * below zero (and a rate below zero is still a finite feature, so it would be scored).
 */
describe('attempts whose count failed', () => {
  it('refused in the transaction after the rate limit’s call (with the risk count) failed: not taken back', async () => {
    const who = `count-${randomUUID().slice(0, 8)}`;
    expect(await sendOrder(fixture.server, who, cart('COUNT-1'))).toMatchObject({ __typename: 'OrderCreated' });
    jest.spyOn(RateLimitWithRisk.prototype, 'consume').mockRejectedValue(new Error('connection reset'));
    for (let i = 0; i < 4; i++)
      expect(await sendOrder(fixture.server, who, cart('COUNT-SCARCE'))).toMatchObject({
        __typename: 'InsufficientStock',
      });
    jest.restoreAllMocks();

    const { live, trained } = await liveAndTrained({ customer: customerSubject(who) });
    expect(live['customer']['orders']).toBeGreaterThan(0);
    expect(live).toEqual(trained);
  });

  it('refused in the transaction after placement’s own count failed: not taken back', async () => {
    const who = `count-${randomUUID().slice(0, 8)}`;
    const bearer = await fixture.server.tokenFor(who);
    expect(await sendOrder(fixture.server, who, cart('COUNT-1'))).toMatchObject({ __typename: 'OrderCreated' });
    // With an order token nothing rides with the rate limit's call: placement counts the attempt itself.
    const record = Object.getOwnPropertyDescriptor(RedisRiskFeatureStore.prototype, 'record')!
      .value as RedisRiskFeatureStore['record'];
    jest.spyOn(RedisRiskFeatureStore.prototype, 'record').mockImplementation(function (
      this: RedisRiskFeatureStore,
      subject,
      update,
      now,
    ) {
      if (subject === customerSubject(who)) return Promise.reject(new Error('connection reset'));
      return record.call(this, subject, update, now);
    });
    for (let i = 0; i < 2; i++) {
      const { token } = await issueOrderToken(fixture.server, bearer);
      expect(await sendOrder(fixture.server, who, { ...cart('COUNT-SCARCE'), orderToken: token })).toMatchObject({
        __typename: 'InsufficientStock',
      });
    }
    jest.restoreAllMocks();

    const { live, trained } = await liveAndTrained({ customer: customerSubject(who) });
    expect(live['customer']['orders']).toBeGreaterThan(0);
    expect(live).toEqual(trained);
  });

  it('refused in the transaction while placement’s own count was still unanswered past the read’s budget: taken back once it ran', async () => {
    const who = `count-${randomUUID().slice(0, 8)}`;
    const bearer = await fixture.server.tokenFor(who);
    expect(await sendOrder(fixture.server, who, cart('COUNT-1'))).toMatchObject({ __typename: 'OrderCreated' });
    // Placement's count of the next attempt (an order token: nothing rides with admission) leaves
    // only once the attempt has been answered and the read's budget has passed: a late count.
    const release = holdBack(RedisRiskFeatureStore.prototype, 'record', (subject) => subject === customerSubject(who));
    const readFailures = (await riskMetricsOf(fixture.server)).readFailures;
    const { token } = await issueOrderToken(fixture.server, bearer);
    expect(await sendOrder(fixture.server, who, { ...cart('COUNT-SCARCE'), orderToken: token })).toMatchObject({
      __typename: 'InsufficientStock',
    });
    await waitUntil(
      'the read to be given up',
      async () => (await riskMetricsOf(fixture.server)).readFailures > readFailures,
    );
    release();
    jest.restoreAllMocks();

    const { live, trained } = await liveAndTrained({ customer: customerSubject(who) });
    expect(live).toEqual(trained);
  });

  it('refused in the transaction after the rate limit’s call (with the risk count) answered past its budget: taken back once it ran', async () => {
    const who = `count-${randomUUID().slice(0, 8)}`;
    expect(await sendOrder(fixture.server, who, cart('COUNT-1'))).toMatchObject({ __typename: 'OrderCreated' });
    // The rate limit's call (and the risk count in it) leaves only once the attempt was admitted
    // without it (the limiter's budget passed: it fails open) and answered.
    const release = holdBack(RateLimitWithRisk.prototype, 'consume', () => true);
    expect(await sendOrder(fixture.server, who, cart('COUNT-SCARCE'))).toMatchObject({
      __typename: 'InsufficientStock',
    });
    release();
    jest.restoreAllMocks();

    const { live, trained } = await liveAndTrained({ customer: customerSubject(who) });
    expect(live).toEqual(trained);
  });
});
