import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { customerSubject } from '../../src/risk/risk-counters';
import { compileRiskModel } from '../../src/risk/risk-model';
import type { RiskModel } from '../../src/risk/risk-model';
import { riskFeatureKeyPrefix } from '../../src/stores/store-keys';
import { seedProducts } from '../support/catalog';
import { TEST_REDIS_URL } from '../support/redis';
import {
  SHIPPED_MODEL_PATH,
  auditOf,
  featureStoreOf,
  placedMinutesAgo,
  riskMetricsOf,
  sendOrder,
} from '../support/risk';
import { withTestServer } from '../support/test-server-fixture';
import { waitUntil } from '../support/wait';

const model = compileRiskModel(JSON.parse(readFileSync(SHIPPED_MODEL_PATH, 'utf8'))) as RiskModel;
const address = {
  name: 'Ada Lovelace',
  line1: '12 Baker Street',
  city: 'London',
  postalCode: 'NW1 6XE',
  country: 'GB',
};
const cart = (channel = 'WEB', quantity = 2, extra: object = {}) => ({
  currency: 'EUR',
  channel,
  shippingAddress: address,
  items: [{ sku: 'RISK-TEA', quantity }],
  ...extra,
});
const customer = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

/** Every key under a prefix (SCAN to the end). */
async function keysUnder(prefix: string): Promise<string[]> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  } finally {
    redis.disconnect();
  }
}

const scored = withTestServer('risk-online', {
  RISK_MODEL_PATH: SHIPPED_MODEL_PATH,
  SEMANTIC_DUPLICATE_POLICY: 'HOLD,MOBILE:FLAG',
  // A loaded machine can stall an event loop for longer than the 25 ms default: these tests are about what the score decides.
  RISK_FEATURES_TIMEOUT_MS: '1000',
});
const plain = withTestServer('risk-off');
// One new order per customer a minute: the second is refused by the rate limit, before placement.
const limited = withTestServer('risk-rate-limited', {
  RISK_MODEL_PATH: SHIPPED_MODEL_PATH,
  ORDER_RATE_LIMIT: '1/60',
  RISK_FEATURES_TIMEOUT_MS: '1000',
});

beforeAll(async () => {
  for (const fixture of [scored, plain, limited])
    await seedProducts(fixture.db.url, [{ sku: 'RISK-TEA', priceCents: 450, stock: 100_000 }]);
});

describe('createOrder with the shipped duplicate-risk model', () => {
  it('holds an equivalent order sent again at once: the score is on PossibleDuplicate and in the audit record', async () => {
    const ada = customer('ada');
    const first = await sendOrder(scored.server, ada, cart());
    const again = await sendOrder(scored.server, ada, cart());

    expect(first.__typename).toBe('OrderCreated');
    expect(again).toMatchObject({ __typename: 'PossibleDuplicate', similarity: 1, candidate: { id: first.order!.id } });
    expect(again.riskScore).toBeGreaterThanOrEqual(model.thresholds.holdAtScore);
    expect(await auditOf(scored.server, scored.db, ada)).toEqual([
      { outcome: 'created', orderId: first.order!.id, relatedOrderId: null, riskScore: null, riskModelVersion: null },
      {
        outcome: 'possible_duplicate_held',
        orderId: null,
        relatedOrderId: first.order!.id,
        riskScore: again.riskScore,
        riskModelVersion: model.version,
      },
    ]);
  });

  it('on a FLAG channel the same score only flags: the order is created, its audit record (written with it) carries the score', async () => {
    const bea = customer('bea');
    const first = await sendOrder(scored.server, bea, cart('MOBILE'));
    const again = await sendOrder(scored.server, bea, cart('MOBILE'));

    expect(again).toMatchObject({ __typename: 'OrderCreated', order: { possibleDuplicateOfId: first.order!.id } });
    const [, flagged] = await auditOf(scored.server, scored.db, bea);
    expect(flagged).toMatchObject({
      outcome: 'possible_duplicate_flagged',
      orderId: again.order!.id,
      relatedOrderId: first.order!.id,
      riskModelVersion: model.version,
    });
    expect(flagged.riskScore).toBeGreaterThanOrEqual(model.thresholds.holdAtScore);
  });

  it("looks back an hour: an equivalent order placed 40 minutes earlier, which today's rule lets pass, is scored and held, less surely than an instant one", async () => {
    const cid = customer('cid');
    const first = await sendOrder(scored.server, cid, cart());
    await placedMinutesAgo(scored.db, first.order!.id, 40);
    const late = await sendOrder(scored.server, cid, cart());
    const twin = customer('cid-twin');
    await sendOrder(scored.server, twin, cart());
    const instant = await sendOrder(scored.server, twin, cart());

    expect(late.riskScore).toBeLessThan(instant.riskScore!);
    expect(late).toMatchObject({ __typename: 'PossibleDuplicate', candidate: { id: first.order!.id } });
    expect(late.riskScore).toBeGreaterThanOrEqual(model.thresholds.holdAtScore);
    const [, held] = await auditOf(scored.server, scored.db, cid);
    expect(held).toMatchObject({ outcome: 'possible_duplicate_held', riskScore: late.riskScore });
  });

  it('counts each of 12 concurrent new-key orders exactly once in Redis, and a retry as a retry', async () => {
    const dan = customer('dan');
    const keys = Array.from({ length: 12 }, (_, i) => `dan-${i}-${randomUUID()}`);
    // Different quantities: different carts, so nothing is a possible duplicate of anything.
    const results = await Promise.all(keys.map((key, i) => sendOrder(scored.server, dan, cart('WEB', i + 1), key)));
    expect(results.map((result) => result.__typename)).toEqual(Array(12).fill('OrderCreated'));
    const retry = await sendOrder(scored.server, dan, cart('WEB', 1), keys[0]);
    expect(retry.__typename).toBe('DuplicateDetected');

    const store = featureStoreOf(scored.server);
    await waitUntil(
      'the retry to be counted',
      async () => (await store.record(customerSubject(dan), {}, Date.now())).recent.retries > 0.99,
    );
    const counters = await store.record(customerSubject(dan), {}, Date.now());
    expect(counters.arrivals).toEqual({ last1m: 12, last10m: 12, last60m: 12 });
    expect(counters.recent.orders).toBeCloseTo(12, 1);
    expect(counters.recent.requests).toBeCloseTo(13, 1);
    expect(counters.recent.retries).toBeCloseTo(1, 2);
    expect(counters.recent.holds).toBe(0);
  });

  it('counts a hold, and the client confirming it as an override (the hold was wrong)', async () => {
    const eve = customer('eve');
    const first = await sendOrder(scored.server, eve, cart());
    const held = await sendOrder(scored.server, eve, cart());
    const confirmed = await sendOrder(scored.server, eve, cart('WEB', 2, { confirmPossibleDuplicate: true }));

    expect(held.__typename).toBe('PossibleDuplicate');
    expect(confirmed).toMatchObject({ __typename: 'OrderCreated', order: { possibleDuplicateOfId: first.order!.id } });
    const store = featureStoreOf(scored.server);
    await waitUntil(
      'the override to be counted',
      async () => (await store.record(customerSubject(eve), {}, Date.now())).history.overrides > 0.99,
    );
    const counters = await store.record(customerSubject(eve), {}, Date.now());
    expect(counters.history.holds).toBeCloseTo(1, 3);
    expect(counters.history.overrides).toBeCloseTo(1, 3);
    expect(counters.history.orders).toBeCloseTo(3, 3);
    const audit = await auditOf(scored.server, scored.db, eve);
    expect(audit.map((row) => row.outcome)).toEqual([
      'created',
      'possible_duplicate_held',
      'possible_duplicate_confirmed',
    ]);
    expect(audit[2].riskScore).toEqual(expect.any(Number));
  });

  it('counts a flag as a hold, once', async () => {
    const fay = customer('fay');
    await sendOrder(scored.server, fay, cart('MOBILE'));
    const flagged = await sendOrder(scored.server, fay, cart('MOBILE'));
    expect(flagged).toMatchObject({ __typename: 'OrderCreated' });
    const store = featureStoreOf(scored.server);
    await waitUntil(
      'the flag to be counted',
      async () => (await store.record(customerSubject(fay), {}, Date.now())).history.holds > 0.99,
    );
    // Anything still on its way (the sources' counts) written: a second count of the flag would show.
    await scored.server.app.services.risk!.flush();
    const counters = await store.record(customerSubject(fay), {}, Date.now());
    expect(counters.history.holds).toBeCloseTo(1, 3);
    expect(counters.history.orders).toBeCloseTo(2, 3);
    const audit = await auditOf(scored.server, scored.db, fay);
    expect(audit.map((row) => row.outcome)).toEqual(['created', 'possible_duplicate_flagged']);
    expect(audit[1].riskScore).toEqual(expect.any(Number));
  });

  it('counts every decision by outcome and decider, and every score, in the metrics', async () => {
    const before = await riskMetricsOf(scored.server);
    const fay = customer('fay');
    await sendOrder(scored.server, fay, cart());
    await sendOrder(scored.server, fay, cart());
    const gus = customer('gus');
    await sendOrder(scored.server, gus, cart('MOBILE'));
    await sendOrder(scored.server, gus, cart('MOBILE'));

    const after = await riskMetricsOf(scored.server);
    expect((after.decisions['hold/model'] ?? 0) - (before.decisions['hold/model'] ?? 0)).toBe(1);
    expect((after.decisions['flag/model'] ?? 0) - (before.decisions['flag/model'] ?? 0)).toBe(1);
    expect(after.scores - before.scores).toBe(2);
    expect(after.readFailures).toBe(0);
  });

  it("counts a hold and its confirmation as one hold: the confirmation placed the order, the client's decision", async () => {
    const before = await riskMetricsOf(scored.server);
    const ida = customer('ida');
    await sendOrder(scored.server, ida, cart('WEB', 3));
    const held = await sendOrder(scored.server, ida, cart('WEB', 3));
    const confirmed = await sendOrder(scored.server, ida, cart('WEB', 3, { confirmPossibleDuplicate: true }));

    expect(held.__typename).toBe('PossibleDuplicate');
    expect(confirmed).toMatchObject({
      __typename: 'OrderCreated',
      order: { possibleDuplicateOfId: expect.any(String) },
    });
    const after = await riskMetricsOf(scored.server);
    const counted = Object.keys(after.decisions)
      .map((key) => [key, after.decisions[key] - (before.decisions[key] ?? 0)])
      .filter(([, added]) => added !== 0);
    // Found from outside: the confirmation was counted as a second hold (and its score observed).
    expect(Object.fromEntries(counted)).toEqual({ 'hold/model': 1 });
    expect(after.scores - before.scores).toBe(1);
  });
});

describe('createOrder with a model, under the rate limit', () => {
  it('never counts an attempt the rate limit refuses: the features are read when placement starts, after the limit', async () => {
    const kim = customer('kim');
    expect((await sendOrder(limited.server, kim, cart('WEB', 1))).__typename).toBe('OrderCreated');
    await expect(sendOrder(limited.server, kim, cart('WEB', 2))).rejects.toThrow(/RATE_LIMITED/);

    // Training replays the audit log, where a refused attempt does not appear: it must not be counted live either.
    const after = await featureStoreOf(limited.server).record(customerSubject(kim), {}, Date.now());
    expect(after.arrivals).toEqual({ last1m: 1, last10m: 1, last60m: 1 });
    expect(after.recent.orders).toBeCloseTo(1, 3);
    expect(after.recent.requests).toBeCloseTo(1, 3);
    expect((await riskMetricsOf(limited.server)).readFailures).toBe(0);
  });
});

describe('createOrder without a model (RISK_MODEL_PATH unset, the default)', () => {
  it("decides by today's rule: held with no score, the 40-minute-old equivalent passes, no risk counters, no risk metrics", async () => {
    const hal = customer('hal');
    const first = await sendOrder(plain.server, hal, cart());
    const again = await sendOrder(plain.server, hal, cart());
    expect(again).toMatchObject({
      __typename: 'PossibleDuplicate',
      candidate: { id: first.order!.id },
      riskScore: null,
    });

    const ivy = customer('ivy');
    const earlier = await sendOrder(plain.server, ivy, cart());
    await placedMinutesAgo(plain.db, earlier.order!.id, 40);
    const late = await sendOrder(plain.server, ivy, cart());
    expect(late).toMatchObject({ __typename: 'OrderCreated', order: { possibleDuplicateOfId: null } });

    const audit = [...(await auditOf(plain.server, plain.db, hal)), ...(await auditOf(plain.server, plain.db, ivy))];
    expect(audit.map((row) => [row.outcome, row.riskScore, row.riskModelVersion])).toEqual([
      ['created', null, null],
      ['possible_duplicate_held', null, null],
      ['created', null, null],
      ['created', null, null],
    ]);
    expect(await keysUnder(riskFeatureKeyPrefix(plain.server.config.redisKeyPrefix))).toEqual([]);
    expect(await keysUnder(plain.server.config.redisKeyPrefix)).not.toEqual([]);
    expect(plain.server.app.services.risk).toBeNull();
    expect((await riskMetricsOf(plain.server)).decisions).toEqual({});
  });
});
