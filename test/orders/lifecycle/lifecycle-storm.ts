import { randomUUID } from 'node:crypto';
import { newKey, tally } from '../../support/order-client';
import type { TestDatabase } from '../../support/database';
import type { ServerAccess } from '../../support/server';
import {
  adjustInventory,
  cancelOrder,
  changeShippingAddress,
  changesOf,
  labelOf,
  placeOrders,
  refundOrder,
  seedProduct,
  stockOf,
  untilAnswered,
} from './lifecycle-client';
import type { LifecycleAnswer } from './lifecycle-client';

/** Orders per mutation, keys per order (or product), clients per key. */
const ORDERS = 4;
const KEYS = 4;
const CLIENTS = 3;
/** Each refund's cents: 2 units × 1 000 paid per order, so exactly 6 of 300 fit. */
const REFUND_CENTS = 300;
const REFUNDS_THAT_FIT = 6;

/** The final answers a storm's clients may end with. */
const SETTLED = [
  'OrderCancelled',
  'OrderAlreadyCancelled',
  'OrderRefunded',
  'RefundExceedsPaid',
  'ShippingAddressChanged',
  'InventoryAdjusted',
];

/** The four mutations' intents on fresh orders and products, and what the database must hold afterwards. */
export interface LifecycleStorm {
  /** Every client's final answer (each retried through faults with its key), in one Promise.all. */
  run(onAnswer?: (answered: number) => void): Promise<LifecycleAnswer[]>;
  /** Asserts one effect per intent: stock and refund totals conserved. */
  expectOneEffectPerIntent(): Promise<void>;
  skus: { cancelled: string; adjusted: string };
  /** The orders refunds and address changes go to (their rows can be held to stall those transactions). */
  heldOrders: string[];
}

/**
 * Sets up a storm of all four lifecycle mutations at once, with fresh SKUs: cancels (KEYS keys per
 * order), positive stock adjustments, refunds (more keys than fit in what was paid) and address changes.
 */
export async function prepareLifecycleStorm(server: ServerAccess, db: TestDatabase): Promise<LifecycleStorm> {
  const tag = randomUUID().slice(0, 8).toUpperCase();
  const skus = { cancelled: `CXL-${tag}`, adjusted: `ADJ-${tag}`, other: `ETC-${tag}` };
  await seedProduct(db, skus.cancelled, 100);
  await seedProduct(db, skus.adjusted, 10);
  await seedProduct(db, skus.other, 100);
  const customer = (index: number) => `life-${tag}-${index}`;
  const toCancel = await placeOrders(server, skus.cancelled, ORDERS, 3, customer);
  const toRefund = await placeOrders(server, skus.other, ORDERS, 2, (index) => customer(ORDERS + index));
  const toAddress = await placeOrders(server, skus.other, ORDERS, 1, (index) => customer(2 * ORDERS + index));
  const admin = await server.tokenFor(`admin-${tag}`, 'admin');
  const tokens = await Promise.all(Array.from({ length: 3 * ORDERS }, (_, index) => server.tokenFor(customer(index))));
  const keys = () => Array.from({ length: KEYS }, () => newKey('life'));
  const refundKeys = () => Array.from({ length: REFUNDS_THAT_FIT + 3 }, () => newKey('refund'));
  const adjustments = Array.from({ length: ORDERS * KEYS }, (_, index) => ({
    key: newKey('adj'),
    delta: 1 + (index % 5),
  }));

  const calls: (() => Promise<LifecycleAnswer>)[] = [
    ...toCancel.flatMap((orderId, index) =>
      keys().map((key) => () => cancelOrder(server.url, tokens[index], { orderId, key, reason: 'storm' })),
    ),
    ...toRefund.flatMap((orderId) =>
      refundKeys().map((key) => () => refundOrder(server.url, admin, { orderId, key, amountCents: REFUND_CENTS })),
    ),
    ...toAddress.flatMap((orderId, index) =>
      keys().map(
        (key) => () =>
          changeShippingAddress(server.url, tokens[2 * ORDERS + index], {
            orderId,
            key,
            address: { line1: key, city: 'Gent', postalCode: '9000', country: 'BE' },
          }),
      ),
    ),
    ...adjustments.map(
      ({ key, delta }) =>
        () =>
          adjustInventory(server.url, admin, { sku: skus.adjusted, delta, key, reason: 'storm' }),
    ),
  ];
  const clients = calls.flatMap((call) => Array.from({ length: CLIENTS }, () => call));

  return {
    skus,
    heldOrders: [...toRefund, ...toAddress],
    async run(onAnswer) {
      let answered = 0;
      const answers = await Promise.all(
        clients.map(async (call) => {
          const answer = await untilAnswered(call, 60_000);
          onAnswer?.(++answered);
          return answer;
        }),
      );
      console.log(`lifecycle storm of ${answers.length} clients: ${JSON.stringify(tally(answers, labelOf))}`);
      // Every client ends with a member that names an effect (first or repeated) or a typed refusal,
      // and no more first answers than effects: a lost first answer comes back as a repeat.
      for (const answer of answers) expect(SETTLED).toContain(answer.__typename);
      const fresh = tally(answers.filter((answer) => !answer.detectedBy));
      expect(fresh['OrderCancelled'] ?? 0).toBeLessThanOrEqual(ORDERS);
      expect(fresh['OrderRefunded'] ?? 0).toBeLessThanOrEqual(ORDERS * REFUNDS_THAT_FIT);
      expect(fresh['InventoryAdjusted'] ?? 0).toBeLessThanOrEqual(adjustments.length);
      return answers;
    },
    async expectOneEffectPerIntent() {
      const cancels = await changesOf(db, 'cancelOrder', toCancel);
      expect(cancels.map((change) => change.orderId).sort()).toEqual([...toCancel].sort());
      expect(await stockOf(db, skus.cancelled)).toBe(100);

      const refunds = await changesOf(db, 'refundOrder', toRefund);
      for (const orderId of toRefund) {
        const own = refunds.filter((refund) => refund.orderId === orderId);
        expect(own).toHaveLength(REFUNDS_THAT_FIT);
        expect(new Set(own.map((refund) => refund.idempotencyKey)).size).toBe(REFUNDS_THAT_FIT);
      }

      const addresses = await changesOf(db, 'changeShippingAddress', toAddress);
      expect(addresses).toHaveLength(ORDERS * KEYS);
      expect(new Set(addresses.map((change) => change.idempotencyKey)).size).toBe(ORDERS * KEYS);

      const adjusted = await db.query<{ idempotencyKey: string; quantityDelta: number }>(
        `SELECT "idempotencyKey", "quantityDelta" FROM "AppliedChange" WHERE "operation" = 'adjustInventory' AND "idempotencyKey" = ANY($1)`,
        [adjustments.map((adjustment) => adjustment.key)],
      );
      expect(adjusted).toHaveLength(adjustments.length);
      const added = adjustments.reduce((sum, adjustment) => sum + adjustment.delta, 0);
      expect(await stockOf(db, skus.adjusted)).toBe(10 + added);
    },
  };
}
