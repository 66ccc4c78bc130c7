import { randomUUID } from 'node:crypto';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { startRedisServer } from '../support/redis-server';
import type { RedisServer } from '../support/redis-server';
import { SHIPPED_MODEL_PATH, auditOf, placedMinutesAgo, riskMetricsOf, sendOrder } from '../support/risk';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';

const cart = {
  currency: 'EUR',
  items: [{ sku: 'DOWN-1', quantity: 1 }],
  shippingAddress: { line1: '3 Elm Street', city: 'Cork', postalCode: 'T12 RW26', country: 'IE' },
};
const customer = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

let db: TestDatabase;
let redis: RedisServer;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase('risk_redis_down');
  await seedProducts(db.url, [{ sku: 'DOWN-1', priceCents: 100, stock: 10_000 }]);
  // A Redis of this test's own: it is killed below.
  redis = await startRedisServer();
  server = await startTestServer(db.url, 'risk-redis-down', {
    REDIS_URL: redis.url,
    RISK_MODEL_PATH: SHIPPED_MODEL_PATH,
    RISK_FEATURES_TIMEOUT_MS: '1000',
  });
});

afterAll(async () => {
  await server?.stop();
  await redis?.kill();
  await db?.drop();
});

/** An order, then an equivalent one `minutesLater` (the first moved back in time). */
async function pair(minutesLater: number) {
  const who = customer('pair');
  const first = await sendOrder(server, who, cart);
  if (minutesLater > 0) await placedMinutesAgo(db, first.order!.id, minutesLater);
  return { who, first, again: await sendOrder(server, who, cart) };
}

describe('duplicate-risk scoring with its Redis down', () => {
  it("falls back to today's rule without an error, and counts it", async () => {
    // With Redis up, the model looks 20 minutes back and holds, with a score.
    const up = await pair(20);
    expect(up.again).toMatchObject({ __typename: 'PossibleDuplicate', candidate: { id: up.first.order!.id } });
    expect(up.again.riskScore).toEqual(expect.any(Number));
    expect((await riskMetricsOf(server)).readFailures).toBe(0);

    await redis.kill();
    await expect(server.app.redis!.ping()).rejects.toThrow();

    // Today's rule: 20 minutes is outside its 10-minute window, so the order passes…
    const late = await pair(20);
    expect(late.again).toMatchObject({ __typename: 'OrderCreated', order: { possibleDuplicateOfId: null } });
    // …and an instant repeat is held by the rule, with no score.
    const instant = await pair(0);
    expect(instant.again).toMatchObject({
      __typename: 'PossibleDuplicate',
      candidate: { id: instant.first.order!.id },
      riskScore: null,
    });
    expect((await auditOf(server, db, instant.who)).map((row) => [row.outcome, row.riskScore])).toEqual([
      ['created', null],
      ['possible_duplicate_held', null],
    ]);

    const metrics = await riskMetricsOf(server);
    // Every new-key attempt after the kill tried to read its customer's counters: two pairs, four
    // attempts (and the source's, once it was a second old).
    expect(metrics.readFailures).toBeGreaterThanOrEqual(4);
    expect(metrics.decisions).toEqual({ 'hold/model': 1, 'pass/static-rule': 1, 'hold/static-rule': 1 });
  });
});
