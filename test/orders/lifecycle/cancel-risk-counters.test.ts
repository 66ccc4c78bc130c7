import { customerSubject, sourceSubject } from '../../../src/risk/risk-counters';
import { newKey } from '../../support/order-client';
import { SHIPPED_MODEL_PATH, featureStoreOf } from '../../support/risk';
import { withTestServer } from '../../support/test-server-fixture';
import { waitUntil } from '../../support/wait';
import { placeOrder } from './held-order-client';
import { cancelOrder, seedProduct } from './lifecycle-client';

// FLAG on WEB: an equivalent order is created as a possible duplicate (not held), so it can be cancelled.
const fixture = withTestServer('cancel-risk-counters', {
  RISK_MODEL_PATH: SHIPPED_MODEL_PATH,
  SEMANTIC_DUPLICATE_POLICY: 'FLAG',
  RISK_FEATURES_TIMEOUT_MS: '1000',
});

/** A customer's (or source's) confirmed duplicates as the live feature store holds them (history counter). */
async function confirmedDuplicates(subject: string): Promise<number> {
  return (await featureStoreOf(fixture.server).record(subject, {}, Date.now())).history.confirmedDuplicates;
}

describe('cancelOrder and the risk counters', () => {
  it('a cancelled possible duplicate counts as a confirmed duplicate for its customer and source in Redis; a cancellation without a candidate does not', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'RISK-CANCEL', 100);
    const suffix = newKey('c');
    const plain = `cancel-plain-${suffix}`;
    const twice = `cancel-twice-${suffix}`;

    // A lone order, cancelled: nothing to count.
    const lone = await placeOrder(server, plain, newKey('lone'), 'RISK-CANCEL', 1);
    expect(lone.__typename).toBe('OrderCreated');
    const loneCancel = await cancelOrder(server.url, await server.tokenFor(plain), {
      orderId: lone.order!.id,
      key: newKey('cancel'),
      reason: 'changed my mind',
    });
    expect(loneCancel.__typename).toBe('OrderCancelled');

    // The same cart twice: the second is flagged as a possible duplicate; its customer cancels it.
    const first = await placeOrder(server, twice, newKey('first'), 'RISK-CANCEL', 2);
    const second = await placeOrder(server, twice, newKey('second'), 'RISK-CANCEL', 2);
    expect(second.order?.possibleDuplicateOfId).toBe(first.order!.id);
    const cancelled = await cancelOrder(server.url, await server.tokenFor(twice), {
      orderId: second.order!.id,
      key: newKey('cancel'),
      reason: 'ordered twice by mistake',
    });
    expect(cancelled.__typename).toBe('OrderCancelled');

    await waitUntil(
      'the cancellation to be counted',
      async () => (await confirmedDuplicates(customerSubject(twice))) > 0.99,
    );
    expect(await confirmedDuplicates(customerSubject(twice))).toBeCloseTo(1, 3);
    // Counted in order after the lone cancellation: had it been counted, it would show by now.
    expect(await confirmedDuplicates(customerSubject(plain))).toBe(0);

    // The source's counters are written with its next refresh (about a second).
    await waitUntil('the source to be counted', async () => (await confirmedDuplicates(sourceSubject('WEB'))) > 0.99);
    expect(await confirmedDuplicates(sourceSubject('WEB'))).toBeCloseTo(1, 3);

    // A repeat of the cancellation (same key) and another key on the cancelled order count nothing more.
    await cancelOrder(server.url, await server.tokenFor(twice), {
      orderId: second.order!.id,
      key: newKey('cancel'),
      reason: 'again',
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await confirmedDuplicates(customerSubject(twice))).toBeCloseTo(1, 3);
  });

  it('counts a cancelled order whose equivalent cart came shortly before, even when the order itself was not flagged', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'RISK-CANCEL-B', 100);
    const customer = `cancel-early-${newKey('c')}`;
    const first = await placeOrder(server, customer, newKey('first'), 'RISK-CANCEL-B', 1);
    const second = await placeOrder(server, customer, newKey('second'), 'RISK-CANCEL-B', 1);
    expect(second.order?.possibleDuplicateOfId).toBe(first.order!.id);
    // The first of the two (no candidate before it) is cancelled: not a confirmed duplicate.
    await cancelOrder(server.url, await server.tokenFor(customer), {
      orderId: first.order!.id,
      key: newKey('cancel'),
      reason: 'the first',
    });
    // Pretend the second was placed unflagged (as with the policy OFF then): its cart twin still makes it one.
    await db.query(`UPDATE "Order" SET "possibleDuplicateOfId" = NULL WHERE "id" = $1::uuid`, [second.order!.id]);
    await cancelOrder(server.url, await server.tokenFor(customer), {
      orderId: second.order!.id,
      key: newKey('cancel'),
      reason: 'the second',
    });
    await waitUntil(
      'the cancellation to be counted',
      async () => (await confirmedDuplicates(customerSubject(customer))) > 0.99,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await confirmedDuplicates(customerSubject(customer))).toBeCloseTo(1, 3);
  });
});
