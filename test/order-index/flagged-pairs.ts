import { newKey } from '../support/order-client';
import type { TestServerFixture } from '../support/test-server-fixture';
import { placeOrder } from '../orders/lifecycle/held-order-client';

/**
 * A customer's first order and its flagged double (same cart, new key), both MOBILE (the merge
 * tests run with SEMANTIC_DUPLICATE_POLICY=MOBILE:FLAG): what a scan groups and a merge cancels.
 */
export async function flaggedPair(
  fixture: TestServerFixture,
  customerId: string,
  sku: string,
  shippingAddress?: Record<string, string>,
): Promise<[string, string]> {
  const extra = { channel: 'MOBILE', ...(shippingAddress ? { shippingAddress } : {}) };
  const first = await placeOrder(fixture.server, customerId, newKey('first'), sku, 2, extra);
  const again = await placeOrder(fixture.server, customerId, newKey('again'), sku, 2, extra);
  expect(again).toMatchObject({ order: { possibleDuplicateOfId: first.order!.id } });
  return [first.order!.id, again.order!.id];
}

export async function statusOf(fixture: TestServerFixture, orderId: string): Promise<string> {
  const [row] = await fixture.db.query<{ status: string }>(`SELECT "status"::text FROM "Order" WHERE "id" = $1`, [
    orderId,
  ]);
  return row.status;
}
