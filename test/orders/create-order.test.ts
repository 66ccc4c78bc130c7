import { ordersWithKey, seedProducts, stockOf } from '../support/catalog';
import { postGraphQL } from '../support/graphql-client';
import { CREATE_ORDER, ORDER, ORDERS } from '../support/operations';
import { newKey, tally } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';

type Result = Record<string, unknown> & { __typename: string };
interface CreateOrderData {
  createOrder: Result;
}

const fixture = withTestServer('create-order');

async function createOrder(token: string, key: string, input: Record<string, unknown>): Promise<Result> {
  const response = await postGraphQL<CreateOrderData>(fixture.server.url, CREATE_ORDER, { key, input }, { token });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.createOrder;
}

describe('createOrder', () => {
  it('creates an order priced from the catalog and reserves its stock', async () => {
    await seedProducts(fixture.db.url, [
      { sku: 'PRICE-A', priceCents: 1_250, stock: 10 },
      { sku: 'PRICE-B', priceCents: 399, stock: 10 },
    ]);
    const token = await fixture.server.tokenFor('alice');
    const result = await createOrder(token, newKey('test'), {
      currency: 'eur',
      items: [
        { sku: 'price-b', quantity: 1 },
        { sku: 'PRICE-A', quantity: 2 },
        { sku: 'PRICE-B', quantity: 2 },
      ],
    });
    expect(result.__typename).toBe('OrderCreated');
    const order = result['order'] as Record<string, unknown>;
    expect(order).toMatchObject({
      customerId: 'alice',
      status: 'CONFIRMED',
      channel: 'WEB',
      currency: 'EUR',
      totalCents: 2 * 1_250 + 3 * 399,
      items: [
        { sku: 'PRICE-A', quantity: 2, unitPriceCents: 1_250, product: { sku: 'PRICE-A', priceCents: 1_250 } },
        { sku: 'PRICE-B', quantity: 3, unitPriceCents: 399, product: { sku: 'PRICE-B', priceCents: 399 } },
      ],
    });
    expect(await stockOf(fixture.db, 'PRICE-A')).toBe(8);
    expect(await stockOf(fixture.db, 'PRICE-B')).toBe(7);
  });

  it('answers a second request with the same key with DuplicateDetected and the original order', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'REPEAT-1', priceCents: 500, stock: 10 }]);
    const token = await fixture.server.tokenFor('alice');
    const key = newKey('test');
    const input = { currency: 'EUR', items: [{ sku: 'REPEAT-1', quantity: 1 }] };
    const first = await createOrder(token, key, input);
    const second = await createOrder(token, key, { ...input, items: [{ sku: ' repeat-1 ', quantity: 1 }] });
    const firstOrder = first['order'] as Record<string, unknown>;
    expect(second).toMatchObject({
      __typename: 'DuplicateDetected',
      idempotencyKey: key,
      detectedBy: 'CACHE',
      firstSeenAt: firstOrder['createdAt'],
      originalOrder: { id: firstOrder['id'], totalCents: 500 },
    });
    expect(await ordersWithKey(fixture.db, key)).toHaveLength(1);
    expect(await stockOf(fixture.db, 'REPEAT-1')).toBe(9);
  });

  it('creates exactly one order from 200 concurrent identical requests on separate connections', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'STORM-1', priceCents: 100, stock: 1_000 }]);
    const token = await fixture.server.tokenFor('storm-customer');
    const key = newKey('test');
    const input = { currency: 'EUR', items: [{ sku: 'STORM-1', quantity: 3 }] };
    const results = await Promise.all(Array.from({ length: 200 }, () => createOrder(token, key, input)));
    const counts = tally(results, (result) => result.__typename);
    console.log(`storm of 200 identical requests: ${JSON.stringify(counts)}`);
    expect(counts['OrderCreated']).toBe(1);
    expect((counts['DuplicateDetected'] ?? 0) + (counts['RequestInProgress'] ?? 0)).toBe(199);
    const created = results.find((result) => result.__typename === 'OrderCreated')!['order'] as { id: string };
    for (const result of results.filter((r) => r.__typename === 'DuplicateDetected')) {
      expect((result['originalOrder'] as { id: string }).id).toBe(created.id);
    }
    expect(await ordersWithKey(fixture.db, key)).toHaveLength(1);
    expect(await stockOf(fixture.db, 'STORM-1')).toBe(997);
    const later = await createOrder(token, key, input);
    expect(later).toMatchObject({ __typename: 'DuplicateDetected', originalOrder: { id: created.id } });
  });

  it('answers the same key with a different payload with IdempotencyKeyReused and creates nothing', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'REUSE-1', priceCents: 100, stock: 10 }]);
    const token = await fixture.server.tokenFor('alice');
    const key = newKey('test');
    await createOrder(token, key, { currency: 'EUR', items: [{ sku: 'REUSE-1', quantity: 1 }] });
    const reused = await createOrder(token, key, { currency: 'EUR', items: [{ sku: 'REUSE-1', quantity: 2 }] });
    expect(reused).toEqual({
      __typename: 'IdempotencyKeyReused',
      idempotencyKey: key,
      message: expect.stringContaining('different request'),
    });
    expect(await ordersWithKey(fixture.db, key)).toHaveLength(1);
    expect(await stockOf(fixture.db, 'REUSE-1')).toBe(9);
  });

  it('treats the same key from two customers as two unrelated keys, and hides each order from the other', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'SCOPE-1', priceCents: 100, stock: 10 }]);
    const [carol, dave] = await Promise.all([fixture.server.tokenFor('carol'), fixture.server.tokenFor('dave')]);
    const key = newKey('test');
    const input = { currency: 'EUR', items: [{ sku: 'SCOPE-1', quantity: 1 }] };
    const [forCarol, forDave] = await Promise.all([createOrder(carol, key, input), createOrder(dave, key, input)]);
    expect(forCarol.__typename).toBe('OrderCreated');
    expect(forDave.__typename).toBe('OrderCreated');
    const carolOrder = forCarol['order'] as { id: string };
    const daveOrder = forDave['order'] as { id: string };
    expect(carolOrder.id).not.toBe(daveOrder.id);
    expect(await ordersWithKey(fixture.db, key)).toHaveLength(2);

    const seenByDave = await postGraphQL(fixture.server.url, ORDER, { id: carolOrder.id }, { token: dave });
    expect(seenByDave.body).toEqual({ data: { order: null } });
    const seenByCarol = await postGraphQL<{ order: { id: string } }>(
      fixture.server.url,
      ORDER,
      { id: carolOrder.id },
      { token: carol },
    );
    expect(seenByCarol.body.data?.order.id).toBe(carolOrder.id);
    const listedForDave = await postGraphQL<{ orders: { id: string; customerId: string }[] }>(
      fixture.server.url,
      ORDERS,
      { first: 100 },
      { token: dave },
    );
    expect(listedForDave.body.data!.orders.map((order) => order.id)).toEqual([daveOrder.id]);
  });

  it('creates exactly as many orders as there is stock when 20 customers race for 5 units', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'SCARCE-1', priceCents: 100, stock: 5 }]);
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => fixture.server.tokenFor(`racer-${i}`)));
    const keys = tokens.map(() => newKey('test'));
    const input = { currency: 'EUR', items: [{ sku: 'SCARCE-1', quantity: 1 }] };
    const results = await Promise.all(tokens.map((token, i) => createOrder(token, keys[i], input)));
    expect(tally(results, (result) => result.__typename)).toEqual({ OrderCreated: 5, InsufficientStock: 15 });
    for (const result of results.filter((r) => r.__typename === 'InsufficientStock')) {
      expect(result).toMatchObject({ sku: 'SCARCE-1', requested: 1, available: 0 });
    }
    expect(await stockOf(fixture.db, 'SCARCE-1')).toBe(0);
    const [row] = await fixture.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM "OrderItem" WHERE "sku" = 'SCARCE-1'`,
    );
    expect(Number(row.n)).toBe(5);

    // A key whose request was turned away for stock is free again: after a restock it works.
    const rejectedAt = results.findIndex((r) => r.__typename === 'InsufficientStock');
    await seedProducts(fixture.db.url, [{ sku: 'SCARCE-1', priceCents: 100, stock: 1 }]);
    const retried = await createOrder(tokens[rejectedAt], keys[rejectedAt], input);
    expect(retried.__typename).toBe('OrderCreated');
    expect(await stockOf(fixture.db, 'SCARCE-1')).toBe(0);
  });
});
