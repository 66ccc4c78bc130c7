import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MAX_INT4 } from '../../src/db/int-range';
import { lastJson, runDedupe } from '../support/dedupe-cli';
import { withTestServer } from '../support/test-server-fixture';
import { flaggedPair, statusOf } from './flagged-pairs';
import { seedProduct, stockOf } from '../orders/lifecycle/lifecycle-client';

// A merge returns its duplicates' stock; when that would take a product past an int4, the group is
// left whole, named on stderr, and the others are merged (found from outside in stop 38, as
// cancelOrder's: the command stopped on "integer out of range", the groups after it unmerged). MOBILE flags.
const fixture = withTestServer('merge-stock-overflow', { SEMANTIC_DUPLICATE_POLICY: 'MOBILE:FLAG' });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-merge-overflow-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('dedupe merge when returning the stock would overflow a product', () => {
  it('leaves that group whole and says why, merges the others, exits 1; merged once the stock is lowered', async () => {
    await seedProduct(fixture.db, 'FULL-1', 100);
    await seedProduct(fixture.db, 'FINE-1', 100);
    const [fullSurvivor, fullDouble] = await flaggedPair(fixture, 'full', 'FULL-1');
    const [, fineDouble] = await flaggedPair(fixture, 'fine', 'FINE-1');
    const report = path.join(dir, 'dupes.json');
    expect((await runDedupe(fixture, 'scan', '--report', report)).code).toBe(0);
    await fixture.db.query(`UPDATE "Product" SET "stock" = $1 WHERE "sku" = 'FULL-1'`, [MAX_INT4 - 1]);

    const dryRun = await runDedupe(fixture, 'merge', '--report', report);
    expect(lastJson(dryRun.stdout)).toMatchObject({ groups: 2, cancelled: 1, refused: 1, applied: false });

    const merged = await runDedupe(fixture, 'merge', '--report', report, '--apply');
    expect(merged.code).toBe(1);
    expect(lastJson(merged.stdout)).toEqual({
      groups: 2,
      cancelled: 1,
      unitsReturned: 2,
      skipped: 0,
      refused: 1,
      applied: true,
    });
    expect(merged.stderr).toContain(
      `not merged: group of ${fullSurvivor}: returning 2 × FULL-1 would take its stock past ${MAX_INT4}`,
    );
    expect(merged.stderr).not.toMatch(/\n\s+at /);
    expect([await statusOf(fixture, fullDouble), await stockOf(fixture.db, 'FULL-1')]).toEqual([
      'CONFIRMED',
      MAX_INT4 - 1,
    ]);
    expect([await statusOf(fixture, fineDouble), await stockOf(fixture.db, 'FINE-1')]).toEqual(['CANCELLED', 98]);

    await fixture.db.query(`UPDATE "Product" SET "stock" = 1000 WHERE "sku" = 'FULL-1'`);
    const again = await runDedupe(fixture, 'merge', '--report', report, '--apply');
    expect([again.code, lastJson(again.stdout)]).toEqual([
      0,
      { groups: 2, cancelled: 1, unitsReturned: 2, skipped: 1, refused: 0, applied: true },
    ]);
    expect([await statusOf(fixture, fullDouble), await stockOf(fixture.db, 'FULL-1')]).toEqual(['CANCELLED', 1002]);
  });
});
