import { randomUUID } from 'node:crypto';
import { mergeDuplicates } from '../../src/order-index/duplicate-merge';
import { scanForDuplicates } from '../../src/order-index/duplicate-scan';
import type { DuplicateGroup } from '../../src/order-index/duplicate-scan';
import { sourceSubject } from '../../src/risk/risk-counters';
import { recordConfirmedDuplicates } from '../../src/risk/risk-scoring';
import { SOURCE_REFRESH_MS } from '../../src/risk/source-counters';
import { seedProducts } from '../support/catalog';
import { post, signDelivery } from '../support/channels';
import type { JsonResponse } from '../support/channels';
import { SHIPPED_MODEL_PATH, auditOf, featureStoreOf, placedMinutesAgo } from '../support/risk';
import { withTestServer } from '../support/test-server-fixture';

const SECRET = 'quickcart-webhook-secret-for-tests';
/** Bounds an operator might set: hold only when a duplicate is likely (70 %), flag from 5 %. */
const HOLD_AT = 0.7;
const FLAG_AT = 0.05;

const fixture = withTestServer('risk-source-history', {
  MARKETPLACE_WEBHOOK_SECRETS: `quickcart=${SECRET}`,
  RISK_MODEL_PATH: SHIPPED_MODEL_PATH,
  RISK_HOLD_AT_SCORE: String(HOLD_AT),
  RISK_FLAG_AT_SCORE: String(FLAG_AT),
  RISK_FEATURES_TIMEOUT_MS: '1000',
});

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'QC-1', priceCents: 300, stock: 100_000 }]);
});

/** One webhook delivery of quickcart: an order of `buyer`, named `orderId` by the marketplace. */
function deliver(buyer: string, orderId = `QC-${randomUUID()}`): Promise<JsonResponse> {
  const body = JSON.stringify({
    orderId,
    customerId: buyer,
    currency: 'EUR',
    items: [{ sku: 'QC-1', quantity: 1 }],
    shippingAddress: { line1: '7 Mill Street', city: 'Leeds', postalCode: 'LS1 4AP', country: 'GB' },
  });
  return post(fixture.server.url, '/channels/marketplace/quickcart/orders', body, signDelivery(SECRET, body));
}

/** `count` first-time buyers' orders, ten deliveries at a time; every one must be created. */
async function cleanOrders(count: number): Promise<void> {
  for (let sent = 0; sent < count; sent += 10) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(10, count - sent) }, () => deliver(`buyer-${randomUUID()}`)),
    );
    expect(answers.map((answer) => answer.json['status'])).toEqual(answers.map(() => 'created'));
  }
}

/**
 * A buyer's order redelivered under a new id 40 minutes after the first delivery: today's rule
 * (10 minutes) would let it through; the model looks back an hour and scores it.
 */
/** A server reads and writes a source's counters once a SOURCE_REFRESH_MS: this lets it catch up. */
const caughtUp = () => new Promise((resolve) => setTimeout(resolve, 2 * SOURCE_REFRESH_MS + 100));

async function lateRedelivery(): Promise<{ buyer: string; first: string; answer: JsonResponse }> {
  await caughtUp();
  const buyer = `probe-${randomUUID()}`;
  const first = await deliver(buyer);
  await placedMinutesAgo(fixture.db, first.json['orderId'] as string, 40);
  return { buyer, first: first.json['orderId'] as string, answer: await deliver(buyer) };
}

describe('a marketplace source whose history improves, on the live path', () => {
  it('its late redelivery is held after a bad record (merged duplicates) and only flagged once clean orders have diluted it', async () => {
    // A bad record: 15 clean orders, and 5 orders redelivered two hours later (beyond any lookback,
    // so created), which support then finds with the scan and merges.
    await cleanOrders(15);
    for (let i = 0; i < 5; i++) {
      const buyer = `redelivered-${randomUUID()}`;
      const first = await deliver(buyer);
      await placedMinutesAgo(fixture.db, first.json['orderId'] as string, 120);
      expect((await deliver(buyer)).json).toMatchObject({ status: 'created', possibleDuplicateOfId: null });
    }
    const groups: DuplicateGroup[] = [];
    await scanForDuplicates(fixture.server.app.prisma, {
      windowMs: 3 * 3_600_000,
      onGroup: (group) => void groups.push(group),
    });
    const store = featureStoreOf(fixture.server);
    const merged = await mergeDuplicates(fixture.server.app.prisma, groups, true, undefined, (orders) =>
      recordConfirmedDuplicates(store, orders),
    );
    expect(merged.cancelled).toBe(5);
    // The server writes a source's counts at least once a SOURCE_REFRESH_MS.
    await caughtUp();
    const source = await store.record(sourceSubject('MARKETPLACE', 'quickcart'), {}, Date.now());
    expect(source.history.confirmedDuplicates).toBeCloseTo(5, 3);
    expect(source.history.orders).toBeCloseTo(25, 3);

    const bad = await lateRedelivery();
    expect(bad.answer.status).toBe(202);
    expect(bad.answer.json).toMatchObject({ status: 'held', candidateOrderId: bad.first });
    const [, held] = await auditOf(fixture.server, fixture.db, bad.buyer);
    expect(held).toMatchObject({ outcome: 'possible_duplicate_held', relatedOrderId: bad.first });
    expect(held.riskScore).toBeGreaterThanOrEqual(HOLD_AT);

    // Clean orders accumulate: 5 confirmed duplicates among 25 become 5 among 225.
    await cleanOrders(200);

    const better = await lateRedelivery();
    expect(better.answer.status).toBe(200);
    expect(better.answer.json).toMatchObject({ status: 'created', possibleDuplicateOfId: better.first });
    const [, flagged] = await auditOf(fixture.server, fixture.db, better.buyer);
    expect(flagged).toMatchObject({ outcome: 'possible_duplicate_flagged', relatedOrderId: better.first });
    expect(flagged.riskScore).toBeGreaterThanOrEqual(FLAG_AT);
    expect(flagged.riskScore).toBeLessThan(HOLD_AT);
    console.log(
      `late redelivery from quickcart: score ${held.riskScore!.toFixed(3)} after the bad record, ${flagged.riskScore!.toFixed(3)} after 200 clean orders`,
    );
  });
});
