import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { newKey } from '../support/order-client';
import { TEST_REDIS_URL } from '../support/redis';
import { PROJECT_ROOT } from '../support/server';
import { withTestServer } from '../support/test-server-fixture';
import { placeOrder } from '../orders/lifecycle/held-order-client';
import { cancelOrder, seedProduct, stockOf } from '../orders/lifecycle/lifecycle-client';

// Imported history was fulfilled in its own system: the import takes no stock, so cancelling an
// imported order gives none back (it would conjure units the shop never had), while a live order's
// cancellation returns what it took.
const fixture = withTestServer('imported-stock', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });

async function importRecord(record: Record<string, unknown>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'og-imported-stock-'));
  try {
    const file = path.join(dir, 'history.jsonl');
    await writeFile(file, `${JSON.stringify(record)}\n`);
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        [path.join(PROJECT_ROOT, 'dist/src/order-index/orders-import-cli.js'), file],
        { env: { ...process.env, DATABASE_URL: fixture.db.url, REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'silent' } },
        (error, stdout, stderr) => (error ? reject(new Error(`${stdout}\n${stderr}`)) : resolve()),
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('stock and imported history', () => {
  it('an imported order takes no stock and gives none back when cancelled; a live order gives back what it took', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'IMPORTED-1', 10);
    await importRecord({
      externalId: 'old-shop-1',
      channel: 'WEB',
      customerId: 'ines',
      createdAt: '2026-11-30T09:15:00Z',
      currency: 'EUR',
      items: [{ sku: 'IMPORTED-1', quantity: 3 }],
    });
    expect(await stockOf(db, 'IMPORTED-1')).toBe(10);
    const [imported] = await db.query<{ id: string }>(
      `SELECT "id"::text FROM "Order" WHERE "externalId" = 'old-shop-1'`,
    );
    const token = await server.tokenFor('ines');
    const cancelled = await cancelOrder(server.url, token, {
      orderId: imported.id,
      key: newKey('cancel'),
      reason: 'returned in the old shop',
    });
    expect(cancelled).toMatchObject({ __typename: 'OrderCancelled', order: { status: 'CANCELLED' } });
    expect(await stockOf(db, 'IMPORTED-1')).toBe(10);

    const live = await placeOrder(server, 'ines', newKey('live'), 'IMPORTED-1', 2);
    expect(await stockOf(db, 'IMPORTED-1')).toBe(8);
    await cancelOrder(server.url, token, { orderId: live.order!.id, key: newKey('cancel'), reason: 'changed my mind' });
    expect(await stockOf(db, 'IMPORTED-1')).toBe(10);
  });
});
