import type { PosReport } from '../../src/channels/pos-batch';
import { seedProducts } from '../support/catalog';
import { post } from '../support/channels';
import { deleteRedisPrefix } from '../support/redis';
import { withTestServer } from '../support/test-server-fixture';

// Walk-in customers of POS receipts (no `customer` column): one per receipt, never another's.
// The POS policy is HOLD here, so two receipts sharing a customer would hold the second.

const fixture = withTestServer('pos-walk-in', { SEMANTIC_DUPLICATE_POLICY: 'HOLD' });
let admin: string;

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'WALK-1', priceCents: 100, stock: 1_000 }]);
  admin = await fixture.server.tokenFor('pos-ops', 'admin');
});

async function upload(rows: string[]): Promise<PosReport> {
  const csv = ['store,receipt,sku,quantity,currency', ...rows].join('\n') + '\n';
  const response = await post(fixture.server.url, '/channels/pos/receipts', csv, {
    authorization: `Bearer ${admin}`,
    'content-type': 'text/csv',
  });
  expect(response.status).toBe(200);
  return JSON.parse(response.text.trim().split('\n').at(-1)!) as PosReport;
}

async function customerOf(store: string, receipt: string): Promise<string> {
  const rows = await fixture.db.query<{ customerId: string }>(
    `SELECT "customerId" FROM "Order" WHERE "channel" = 'POS' AND "source" = $1 AND "externalId" = $2`,
    [store, receipt],
  );
  expect(rows).toHaveLength(1);
  return rows[0].customerId;
}

describe('POS walk-in customers', () => {
  it('are told apart when a store or receipt holds a colon: both sales are placed, neither held', async () => {
    // Alone, each would be walk-in:shop:a:R1.
    expect(await upload(['shop:a,R1,WALK-1,4,EUR'])).toMatchObject({ created: 1, held: 0 });
    expect(await upload(['shop,a:R1,WALK-1,4,EUR'])).toMatchObject({ created: 1, held: 0, notPlaced: [] });
    const [first, second] = [await customerOf('shop:a', 'R1'), await customerOf('shop', 'a:R1')];
    expect(first).not.toBe(second);
    expect([first, second]).toEqual([expect.stringMatching(/^walk-in\.sha256:[0-9a-f]{64}$/), expect.any(String)]);
    // Uploading it again is the same receipt of the same customer: a duplicate, nothing new.
    expect(await upload(['shop:a,R1,WALK-1,4,EUR'])).toMatchObject({ created: 0, duplicates: 1 });
  });

  it('stay readable for ordinary ids, and within 128 characters for the longest ones', async () => {
    const [store, receipt] = ['x'.repeat(64), 'y'.repeat(64)];
    expect(await upload(['store-12,R-000123,WALK-1,1,EUR', `${store},${receipt},WALK-1,2,EUR`])).toMatchObject({
      created: 2,
    });
    expect(await customerOf('store-12', 'R-000123')).toBe('walk-in:store-12:R-000123');
    const long = await customerOf(store, receipt);
    expect([long, long.length <= 128]).toEqual([expect.stringMatching(/^walk-in\.sha256:/), true]);
  });

  it('keep a receipt placed under the old id (walk-in:<store>:<receipt> with a colon) one order when uploaded again', async () => {
    expect(await upload(['old:shop,R7,WALK-1,1,EUR'])).toMatchObject({ created: 1 });
    // As the order was stored before walk-in ids were hashed, and its claims long expired.
    await fixture.db.query(`UPDATE "Order" SET "customerId" = 'walk-in:old:shop:R7' WHERE "source" = 'old:shop'`);
    await deleteRedisPrefix(fixture.server.config.redisKeyPrefix);
    // The unique (channel, source, externalId) finds it whatever its customer.
    expect(await upload(['old:shop,R7,WALK-1,1,EUR'])).toMatchObject({ created: 0, duplicates: 1 });
    expect(await customerOf('old:shop', 'R7')).toBe('walk-in:old:shop:R7');
  });
});
