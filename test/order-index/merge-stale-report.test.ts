import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { lastJson, runDedupe } from '../support/dedupe-cli';
import { newKey } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';
import { flaggedPair, statusOf } from './flagged-pairs';
import { cancelOrder, changeShippingAddress, seedProduct, stockOf } from '../orders/lifecycle/lifecycle-client';

// A scan report is a snapshot: a group merges only while it still is one. Found from outside (stop
// 39): after the scan, the customer cancelled the order the report keeps, and the merge cancelled
// the other one too (the intent left with no order); or a duplicate was re-addressed after the
// scan, and the merge cancelled an order that was no longer a duplicate. MOBILE flags.
const fixture = withTestServer('merge-stale-report', { SEMANTIC_DUPLICATE_POLICY: 'MOBILE:FLAG' });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-merge-stale-'));
  await seedProduct(fixture.db, 'STALE-1', 100);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const address = {
  name: 'Tom Baker',
  line1: '12 Rue de la Paix',
  city: 'Paris',
  postalCode: '75002',
  country: 'FR',
};

describe('dedupe merge on a report older than a change to its orders', () => {
  it('leaves a group whose survivor was cancelled or whose duplicate was re-addressed, and merges one that still stands', async () => {
    const [vicKept, vicDouble] = await flaggedPair(fixture, 'vic', 'STALE-1', address);
    const [tomFirst, tomMoved] = await flaggedPair(fixture, 'tom', 'STALE-1', address);
    const [, unaDouble] = await flaggedPair(fixture, 'una', 'STALE-1', address);
    const report = path.join(dir, 'dupes.json');
    expect(lastJson((await runDedupe(fixture, 'scan', '--report', report)).stdout)).toMatchObject({ groups: 3 });

    // After the scan: vic cancels the order the report keeps; tom's second order goes to Bristol.
    const cancelled = await cancelOrder(fixture.server.url, await fixture.server.tokenFor('vic'), {
      orderId: vicKept,
      key: newKey('cancel'),
      reason: 'ordered twice',
    });
    expect(cancelled.__typename).toBe('OrderCancelled');
    const moved = await changeShippingAddress(fixture.server.url, await fixture.server.tokenFor('tom'), {
      orderId: tomMoved,
      key: newKey('move'),
      address: { ...address, line1: '3 Park Street', city: 'Bristol', postalCode: 'BS1 5HY', country: 'GB' },
    });
    expect(moved.__typename).toBe('ShippingAddressChanged');
    const stockBefore = await stockOf(fixture.db, 'STALE-1');

    const merged = await runDedupe(fixture, 'merge', '--report', report, '--apply');
    expect([merged.code, lastJson(merged.stdout)]).toEqual([
      1,
      { groups: 3, cancelled: 1, unitsReturned: 2, skipped: 0, refused: 2, applied: true },
    ]);
    expect(merged.stderr).toContain(
      `not merged: group of ${vicKept}: its survivor ${vicKept} was cancelled since the scan; scan again`,
    );
    expect(merged.stderr).toContain(
      `not merged: group of ${tomFirst}: ${tomMoved} no longer matches an earlier order of its group (changed since the scan); scan again`,
    );
    // vic keeps the order left standing, tom both (they are no longer one intent), una's double is merged.
    expect([
      await statusOf(fixture, vicDouble),
      await statusOf(fixture, tomMoved),
      await statusOf(fixture, unaDouble),
    ]).toEqual(['CONFIRMED', 'CONFIRMED', 'CANCELLED']);
    expect(await stockOf(fixture.db, 'STALE-1')).toBe(stockBefore + 2);

    // A fresh scan finds nothing left to merge: the report's advice leads nowhere wrong.
    expect(lastJson((await runDedupe(fixture, 'scan', '--report', report)).stdout)).toMatchObject({ groups: 0 });
  });
});
