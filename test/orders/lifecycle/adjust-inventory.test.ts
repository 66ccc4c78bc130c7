import { newKey, tally } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { adjustInventory, labelOf, seedProduct, stockOf, untilAnswered } from './lifecycle-client';

const fixture = withTestServer('adjust-inventory');

async function adjustmentsOf(sku: string) {
  return fixture.db.query<{ idempotencyKey: string; quantityDelta: number; stockAfter: number }>(
    `SELECT c."idempotencyKey", c."quantityDelta", c."stockAfter" FROM "AppliedChange" c
       JOIN "Product" p ON p."id" = c."productId" WHERE p."sku" = $1 AND c."operation" = 'adjustInventory'
      ORDER BY c."createdAt"`,
    [sku],
  );
}

describe('adjustInventory', () => {
  it('adds the delta once: a retried +10 stays +10, and answers with the first adjustment', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'ADJ-A', 5);
    const admin = await server.tokenFor('ada', 'admin');
    const key = newKey('adjust');
    const first = await adjustInventory(server.url, admin, { sku: 'adj-a', delta: 10, key, reason: 'delivery' });
    expect(first).toMatchObject({ __typename: 'InventoryAdjusted', detectedBy: null, delta: 10, stockAfter: 15 });
    const retry = await adjustInventory(server.url, admin, { sku: 'ADJ-A', delta: 10, key, reason: 'delivery' });
    expect(retry).toMatchObject({ __typename: 'InventoryAdjusted', detectedBy: 'CACHE', delta: 10, stockAfter: 15 });
    expect(await stockOf(db, 'ADJ-A')).toBe(15);
    const reused = await adjustInventory(server.url, admin, { sku: 'ADJ-A', delta: 11, key, reason: 'delivery' });
    expect(reused).toMatchObject({ __typename: 'IdempotencyKeyReused', idempotencyKey: key });
    expect(await adjustmentsOf('ADJ-A')).toEqual([{ idempotencyKey: key, quantityDelta: 10, stockAfter: 15 }]);
  });

  it('never takes the stock below zero (StockWouldGoNegative, nothing changed) and answers ProductNotFound for an unknown SKU', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'ADJ-B', 3);
    const admin = await server.tokenFor('ada', 'admin');
    const key = newKey('adjust');
    expect(await adjustInventory(server.url, admin, { sku: 'ADJ-B', delta: -4, key, reason: 'breakage' })).toEqual({
      __typename: 'StockWouldGoNegative',
      sku: 'ADJ-B',
      stock: 3,
      delta: -4,
    });
    // Nothing was remembered: the corrected request with the same key runs.
    expect(
      await adjustInventory(server.url, admin, { sku: 'ADJ-B', delta: -3, key, reason: 'breakage' }),
    ).toMatchObject({
      __typename: 'InventoryAdjusted',
      stockAfter: 0,
    });
    expect(await stockOf(db, 'ADJ-B')).toBe(0);
    expect(
      await adjustInventory(server.url, admin, { sku: 'NO-SUCH', delta: 1, key: newKey('adjust'), reason: 'x' }),
    ).toEqual({ __typename: 'ProductNotFound', sku: 'NO-SUCH' });
    expect(
      await adjustInventory(server.url, admin, { sku: 'ADJ-B', delta: 0, key: newKey('adjust'), reason: 'x' }),
    ).toMatchObject({ __typename: 'ValidationFailed', field: 'delta' });
  });

  it('never takes the stock past the largest integer PostgreSQL stores (ValidationFailed, nothing changed), nor takes a delta beyond it', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'ADJ-MAX', 2_147_483_640);
    const admin = await server.tokenFor('ada', 'admin');
    const key = newKey('adjust');
    expect(await adjustInventory(server.url, admin, { sku: 'ADJ-MAX', delta: 8, key, reason: 'count' })).toEqual({
      __typename: 'ValidationFailed',
      field: 'delta',
      message: 'The stock would be 2147483648: a product holds at most 2147483647.',
    });
    // Nothing was remembered: the corrected request with the same key runs.
    expect(await adjustInventory(server.url, admin, { sku: 'ADJ-MAX', delta: 7, key, reason: 'count' })).toMatchObject({
      __typename: 'InventoryAdjusted',
      stockAfter: 2_147_483_647,
    });
    await seedProduct(db, 'ADJ-LOW', 5);
    expect(
      await adjustInventory(server.url, admin, {
        sku: 'ADJ-LOW',
        delta: 2_147_483_647,
        key: newKey('adjust'),
        reason: 'x',
      }),
    ).toMatchObject({ __typename: 'ValidationFailed', field: 'delta' });
    expect(await stockOf(db, 'ADJ-LOW')).toBe(5);
    expect(await adjustmentsOf('ADJ-LOW')).toEqual([]);
  });

  it('is for admins only', async () => {
    const customer = await fixture.server.tokenFor('cora');
    await expect(
      adjustInventory(fixture.server.url, customer, { sku: 'ADJ-A', delta: 1, key: newKey('adjust'), reason: 'x' }),
    ).rejects.toThrow(/FORBIDDEN/);
  });

  it('under a storm (30 keys of ±deltas × 5 retrying clients) applies each key once, the stock equal to the sum of the applied deltas and never negative', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'ADJ-STORM', 5);
    const admin = await server.tokenFor('ada', 'admin');
    const intents = Array.from({ length: 30 }, (_, index) => ({ key: newKey('adj'), delta: index % 3 === 0 ? 7 : -4 }));
    const clients = intents.flatMap((intent) => Array.from({ length: 5 }, () => intent));
    const answers = await Promise.all(
      clients.map((intent) =>
        untilAnswered(() =>
          adjustInventory(server.url, admin, {
            sku: 'ADJ-STORM',
            delta: intent.delta,
            key: intent.key,
            reason: 'storm',
          }),
        ),
      ),
    );
    console.log(`adjustInventory storm of ${answers.length} clients: ${JSON.stringify(tally(answers, labelOf))}`);
    const applied = await adjustmentsOf('ADJ-STORM');
    expect(new Set(applied.map((row) => row.idempotencyKey)).size).toBe(applied.length);
    const stock = await stockOf(db, 'ADJ-STORM');
    expect(stock).toBe(5 + applied.reduce((sum, row) => sum + row.quantityDelta, 0));
    expect(stock).toBeGreaterThanOrEqual(0);
    expect(applied.every((row) => row.stockAfter >= 0)).toBe(true);
    // +70 and -80 on 5 units: some removals cannot all be applied.
    expect(applied.length).toBeLessThan(30);
    // Each client's final answer agrees with the database. A refused key is not remembered, so a later
    // client of it may still apply once the stock has grown; a key never applied was refused to all.
    clients.forEach((intent, index) => {
      const wasApplied = applied.some((row) => row.idempotencyKey === intent.key);
      if (answers[index].__typename === 'InventoryAdjusted') expect(wasApplied).toBe(true);
      else expect(answers[index].__typename).toBe('StockWouldGoNegative');
      if (!wasApplied) expect(answers[index].__typename).toBe('StockWouldGoNegative');
    });
  });
});
