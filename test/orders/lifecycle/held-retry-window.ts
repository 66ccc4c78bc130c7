import type { TestDatabase } from '../../support/database';
import { newKey } from '../../support/order-client';
import type { TestServer } from '../../support/server';
import { placeOrder } from './held-order-client';
import { cancelOrder, dismissHeldOrder } from './lifecycle-client';

/**
 * The semantic-duplicate window of the held-retry suites (SEMANTIC_DUPLICATE_WINDOW_MS): short, so
 * that it really passes, and long enough that a loaded machine holds the second of two orders.
 */
export const WINDOW_MS = 2_500;

/** Waits until the order is older than the window by the database's clock (the one the candidate lookup reads). */
export async function untilPastWindow(db: TestDatabase, orderId: string): Promise<void> {
  for (;;) {
    const [{ past }] = await db.query<{ past: boolean }>(
      `SELECT now() - "createdAt" > $2 * interval '1 millisecond' AS "past" FROM "Order" WHERE "id" = $1::uuid`,
      [orderId, WINDOW_MS],
    );
    if (past) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * What shows the window had passed: an order equivalent to the held request, sent under a new key
 * (or a new identity), created rather than held. An admin then cancels it, so that it is no
 * candidate for what the test sends next.
 */
export async function cancelWitness(server: TestServer, witnessOrderId: string): Promise<void> {
  const admin = await server.tokenFor('retry-admin', 'admin');
  const cancelled = await cancelOrder(server.url, admin, {
    orderId: witnessOrderId,
    key: newKey('witness-cancel'),
    reason: 'witness of the window',
  });
  expect(cancelled.__typename).toBe('OrderCancelled');
}

/** The window has passed for the customer's cart: an equivalent order under a new key is created, not held. */
export async function expectWindowPassed(
  server: TestServer,
  customerId: string,
  sku: string,
  quantity: number,
): Promise<void> {
  const witness = await placeOrder(server, customerId, newKey('witness'), sku, quantity);
  expect(witness).toMatchObject({ __typename: 'OrderCreated', order: { possibleDuplicateOfId: null } });
  await cancelWitness(server, witness.order!.id);
}

/** An admin dismisses the held order. */
export async function dismissAsAdmin(server: TestServer, heldOrderId: string): Promise<void> {
  const admin = await server.tokenFor('retry-admin', 'admin');
  const dismissed = await dismissHeldOrder(server.url, admin, {
    heldOrderId,
    key: newKey('dismiss'),
    reason: 'a duplicate',
  });
  expect(dismissed.__typename).toBe('HeldOrderDismissed');
}
