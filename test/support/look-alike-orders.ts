import { randomUUID } from 'node:crypto';
import type { ShippingAddressInput } from '../operations/generated';
import { createOrder, newKey } from './order-client';
import type { TestServerFixture } from './test-server-fixture';

/**
 * Sends, as a new customer, a first order and with a new key a second one of the same cart (`sku`
 * × 2) to the second address; returns the second's answer and the customer's order count: a
 * retyping of the same delivery point is `['PossibleDuplicate', 1]` (the default policy, HOLD),
 * another delivery point `['OrderCreated', 2]`.
 */
export function secondOrderOf(fixture: TestServerFixture, sku: string) {
  return async (first: ShippingAddressInput, second: ShippingAddressInput): Promise<[string, number]> => {
    const customerId = `look-${randomUUID()}`;
    const input = (shippingAddress: ShippingAddressInput) => ({
      currency: 'EUR',
      items: [{ sku, quantity: 2 }],
      shippingAddress,
    });
    const created = await createOrder(fixture.server, { customerId }, newKey(), input(first));
    expect(created.__typename).toBe('OrderCreated');
    const answer = await createOrder(fixture.server, { customerId }, newKey(), input(second));
    const [{ count }] = await fixture.db.query<{ count: number }>(
      'SELECT count(*)::int AS "count" FROM "Order" WHERE "customerId" = $1',
      [customerId],
    );
    return [answer.__typename, count];
  };
}
