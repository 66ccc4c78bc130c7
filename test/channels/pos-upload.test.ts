import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { ListedPosReport } from '../../src/channels/pos-batch';
import { seedProducts } from '../support/catalog';
import { post } from '../support/channels';
import { docsExample } from '../support/docs';
import { PROJECT_ROOT } from '../support/server';
import { withTestServer } from '../support/test-server-fixture';

const SKUS = ['POS-1', 'POS-2', 'POS-3', 'POS-4', 'POS-5'];
const INITIAL_STOCK = 1_000_000;

const fixture = withTestServer('pos-upload');
let admin: string;
let workDir: string;

beforeAll(async () => {
  await seedProducts(fixture.db.url, [
    ...SKUS.map((sku) => ({ sku, priceCents: 100, stock: INITIAL_STOCK })),
    { sku: 'TEA-1', priceCents: 450, stock: 1_000 },
    { sku: 'RARE-1', priceCents: 100, stock: 2 },
  ]);
  admin = await fixture.server.tokenFor('pos-ops', 'admin');
  workDir = await mkdtemp(path.join(os.tmpdir(), 'og-pos-'));
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

type Report = ListedPosReport & { type: 'report' };

/** Uploads a file; the NDJSON answer's progress lines and its final report. */
async function upload(
  csv: string,
  token = admin,
): Promise<{ status: number; progress: Record<string, number>[]; report: Report; text: string }> {
  const response = await post(fixture.server.url, '/channels/pos/receipts', csv, {
    authorization: `Bearer ${token}`,
    'content-type': 'text/csv',
  });
  const events =
    response.status === 200
      ? response.text
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { type: string })
      : [];
  const report = events.at(-1) as Report;
  return {
    status: response.status,
    progress: events.slice(0, -1) as unknown as Record<string, number>[],
    report,
    text: response.text,
  };
}

/** How each of the 20 bad lines is bad (all placed on the last line of a three-line receipt). */
const BAD_LINE_KINDS = [
  (store: string, receipt: string) => `${store},${receipt},POS-1,two,EUR,`,
  (store: string, receipt: string) => `${store},${receipt},POS-1,0,EUR,`,
  (store: string, receipt: string) => `${store},${receipt},,1,EUR,`,
  (store: string, receipt: string) => `${store},${receipt},POS-2,1,USD,`,
  (store: string, receipt: string) => `${store},${receipt},"POS-3,1,EUR,`,
  (store: string, receipt: string) => `${store},${receipt},POS-4,1.5,EUR,`,
  (store: string, receipt: string) => `${store},${receipt},POS-5,1,EUR,bob`,
  (store: string, receipt: string) => `${store},${receipt},POS-1,1,,`,
];

interface PosFixture {
  csv: string;
  /** Line numbers of the bad lines. */
  badLines: number[];
  goodReceipts: string[];
  badReceipts: string[];
  /** Units per SKU of the good receipts. */
  units: Record<string, number>;
}

/**
 * A day's export of one store: `receipts` receipts of 1 to 3 item lines; every receipt in `bad`
 * has its last line broken in one of eight ways; every tenth receipt's last line stands at the end
 * of the file (lines of a receipt need not be together).
 */
function posFixture(store: string, receipts: number, bad: ReadonlySet<number>): PosFixture {
  const body: string[] = [];
  const moved: string[] = [];
  const badTexts = new Set<string>();
  const units: Record<string, number> = {};
  const goodReceipts: string[] = [];
  const badReceipts: string[] = [];
  let badKind = 0;
  for (let index = 0; index < receipts; index++) {
    const receipt = `R-${String(index).padStart(5, '0')}`;
    const lines = Array.from({ length: 1 + (index % 3) }, (_, item) => ({
      sku: SKUS[(index + item) % SKUS.length],
      quantity: 1 + ((index + item) % 2),
    }));
    const texts = lines.map((line) => `${store},${receipt},${line.sku},${line.quantity},EUR,`);
    if (bad.has(index)) {
      texts[texts.length - 1] = BAD_LINE_KINDS[badKind++ % BAD_LINE_KINDS.length](store, receipt);
      badTexts.add(texts[texts.length - 1]);
      badReceipts.push(receipt);
    } else {
      goodReceipts.push(receipt);
      for (const line of lines) units[line.sku] = (units[line.sku] ?? 0) + line.quantity;
    }
    if (index % 10 === 9 && texts.length > 1) moved.push(texts.pop()!);
    body.push(...texts);
  }
  const all = ['store,receipt,sku,quantity,currency,customer', ...body, ...moved];
  const badLines = all.flatMap((text, index) => (badTexts.has(text) ? [index + 1] : []));
  return { csv: `${all.join('\r\n')}\r\n`, badLines, goodReceipts, badReceipts, units };
}

async function storedReceipts(store: string): Promise<string[]> {
  const rows = await fixture.db.query<{ externalId: string }>(
    `SELECT "externalId" FROM "Order" WHERE "channel" = 'POS' AND "source" = $1 ORDER BY "externalId"`,
    [store],
  );
  return rows.map((row) => row.externalId);
}

async function stockUsed(): Promise<Record<string, number>> {
  const rows = await fixture.db.query<{ sku: string; stock: number }>(
    `SELECT "sku", "stock" FROM "Product" WHERE "sku" = ANY($1)`,
    [SKUS],
  );
  return Object.fromEntries(
    rows.flatMap((row) => (row.stock === INITIAL_STOCK ? [] : [[row.sku, INITIAL_STOCK - row.stock]])),
  );
}

describe('POS batch upload', () => {
  // Receipts 2, 50, 98, …: each has three lines, the last one bad.
  const badReceiptIndexes = new Set(Array.from({ length: 20 }, (_, k) => 2 + 48 * k));
  const day = posFixture('store-7', 1_000, badReceiptIndexes);

  it('places the good receipts of a file of 1 000 with 20 bad lines, reports those 20 lines, and leaves their receipts out whole', async () => {
    expect(day.badLines).toHaveLength(20);
    const first = await upload(day.csv);

    expect(first.status).toBe(200);
    expect(first.report).toMatchObject({
      type: 'report',
      receipts: 1_000,
      created: 980,
      duplicates: 0,
      rejected: 20,
      held: 0,
      inProgress: 0,
      failed: 0,
    });
    expect(first.report.problems.map((problem) => problem.line)).toEqual(day.badLines);
    expect(first.report.problems.every((problem) => problem.receipt && problem.reason.length > 0)).toBe(true);
    expect(first.report.notPlaced.map((receipt) => receipt.receipt).sort()).toEqual(day.badReceipts);
    expect(await storedReceipts('store-7')).toEqual(day.goodReceipts);
    // Nothing half-written: the stock moved by exactly the good receipts' units.
    expect(await stockUsed()).toEqual(day.units);
    // Progress came while it ran, the first line before the last receipt.
    expect(first.progress.length).toBeGreaterThan(0);
    expect(first.progress[0]).toMatchObject({ type: 'progress', receipts: 1_000 });
    expect(first.progress[0]['done']).toBeLessThan(1_000);
  });

  it('creates nothing when the same file is uploaded again', async () => {
    const again = await upload(day.csv);
    expect(again.report).toMatchObject({ receipts: 1_000, created: 0, duplicates: 980, rejected: 20 });
    expect(again.report.problems.map((problem) => problem.line)).toEqual(day.badLines);
    expect(await storedReceipts('store-7')).toEqual(day.goodReceipts);
    expect(await stockUsed()).toEqual(day.units);
  });

  it('counts in each progress line the outcomes of the receipts done, no more (a file of two, uploaded twice)', async () => {
    const pair = posFixture('store-10', 2, new Set());
    const outcomes = (line: Record<string, number>) =>
      ['created', 'duplicates', 'held', 'rejected', 'inProgress', 'failed'].reduce((sum, name) => sum + line[name], 0);
    for (const expected of [{ created: 2 }, { duplicates: 2 }]) {
      const { progress, report } = await upload(pair.csv);
      expect(report).toMatchObject({ receipts: 2, done: 2, ...expected });
      expect(progress.length).toBeGreaterThan(0);
      for (const line of progress) expect([line['done'], outcomes(line)]).toEqual([line['done'], line['done']]);
    }
  });

  it('creates each receipt once when two uploads of one file run at once', async () => {
    const other = posFixture('store-8', 300, new Set());
    // The second upload has the lines the other way round: the two meet in the middle.
    const [header, ...lines] = other.csv.trim().split('\r\n');
    const reversed = [header, ...lines.reverse()].join('\n');
    const stockBefore = await stockUsed();
    const [a, b] = await Promise.all([upload(other.csv), upload(reversed)]);

    expect(a.report.created + b.report.created).toBe(300);
    expect([a.report.created > 0, b.report.created > 0]).toEqual([true, true]);
    for (const { report } of [a, b])
      expect([report.created + report.duplicates, report.inProgress, report.failed]).toEqual([300, 0, 0]);
    expect(await storedReceipts('store-8')).toEqual(other.goodReceipts);
    const stockAfter = await stockUsed();
    for (const sku of SKUS) expect((stockAfter[sku] ?? 0) - (stockBefore[sku] ?? 0)).toBe(other.units[sku] ?? 0);
  });

  it('reports receipts the placement refuses with their lines: an unknown SKU, not enough stock', async () => {
    const csv = [
      'store,receipt,sku,quantity,currency',
      'store-9,U-1,NOPE-1,1,EUR',
      'store-9,S-1,RARE-1,5,EUR',
      'store-9,S-1,TEA-1,1,EUR',
      'store-9,OK-1,TEA-1,1,EUR',
    ].join('\n');
    const { report } = await upload(csv);
    expect(report).toMatchObject({ created: 1, rejected: 2 });
    expect(report.notPlaced).toEqual([
      expect.objectContaining({ receipt: expect.stringMatching(/^[US]-1$/) }),
      expect.objectContaining({ receipt: expect.stringMatching(/^[US]-1$/) }),
    ]);
    expect(report.notPlaced.find((receipt) => receipt.receipt === 'U-1')).toMatchObject({
      lines: [2],
      reason: expect.stringContaining('Unknown SKU NOPE-1'),
    });
    expect(report.problems).toEqual([
      { line: 3, store: 'store-9', receipt: 'S-1', reason: expect.stringContaining('RARE-1') },
    ]);
    expect(await storedReceipts('store-9')).toEqual(['OK-1']);
  });

  it('reports a file whose every line is bad (Excel wrote "2.0"), every bad line counted', async () => {
    // 100 000 bad lines once held the event loop 22 s (each spoiled receipt looked its lines up in
    // every problem of the file): the work is counted, not timed, in pos-batch-linear.test.ts.
    const lines = Array.from({ length: 100_000 }, (_, i) => `spoiled,R-${Math.floor(i / 3)},POS-1,2.0,EUR`);
    const { status, report } = await upload(`store,receipt,sku,quantity,currency\n${lines.join('\n')}\n`);
    // Every bad line counted; the report lists the first 10 000 (pos-report-limit.test.ts).
    expect([status, report.receipts, report.rejected, report.problems.length + report.problemsNotListed]).toEqual([
      200, 33_334, 33_334, 100_000,
    ]);
    expect(report.notPlaced[0]).toMatchObject({ receipt: 'R-0', lines: [2, 3, 4], reason: 'bad lines: 2, 3, 4' });
  }, 120_000);

  it('refuses an upload without an admin token or without the header line', async () => {
    const csv = 'store,receipt,sku,quantity,currency\nstore-9,X-1,TEA-1,1,EUR\n';
    expect(
      (await post(fixture.server.url, '/channels/pos/receipts', csv, { 'content-type': 'text/csv' })).json,
    ).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const customer = await fixture.server.tokenFor('a-customer');
    expect((await upload(csv, customer)).status).toBe(403);
    const headless = await post(fixture.server.url, '/channels/pos/receipts', 'store-9,X-1,TEA-1,1,EUR\n', {
      authorization: `Bearer ${admin}`,
    });
    expect(headless.json).toMatchObject({ status: 400, code: 'BAD_FILE' });
    expect(await storedReceipts('store-9')).not.toContain('X-1');
  });

  it('npm run channels:pos uploads the sample of docs/channels.md, shows progress, and exits 1 naming a bad line', async () => {
    const sample = await docsExample('pos-csv');
    const run = async (csv: string) => {
      const file = path.join(workDir, `day-${Date.now()}.csv`);
      await writeFile(file, csv);
      const cli = path.join(PROJECT_ROOT, 'dist/src/channels/pos-cli.js');
      return promisify(execFile)(process.execPath, [cli, file, '--token', admin, '--url', fixture.server.url]).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({
          code: error.code,
          stdout: error.stdout,
          stderr: error.stderr,
        }),
      );
    };
    const good = await run(sample);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ receipts: 2, created: 2, rejected: 0 });
    expect(good.stderr).toMatch(/^pos: \d+\/2 receipts/m);

    const withBadLine = `${sample}store-12,R-000125,TEA-1,-1,EUR,\n`;
    const bad = await run(withBadLine);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ receipts: 3, created: 0, duplicates: 2, rejected: 1 });
    expect(bad.stderr).toContain('line 5 (store-12/R-000125): quantity "-1" is not a whole number of at least 1');
  });

  it('npm run channels:pos refuses a second file and a --url without its scheme, exit 2, uploading nothing', async () => {
    // Found from outside: `channels:pos -- a.csv b.csv` uploaded a.csv alone and exited 0, as if
    // every receipt were in; `--url 127.0.0.1:PORT` said only "Invalid URL".
    const cli = path.join(PROJECT_ROOT, 'dist/src/channels/pos-cli.js');
    const first = path.join(workDir, 'first.csv');
    const second = path.join(workDir, 'second.csv');
    await writeFile(first, 'store,receipt,sku,quantity,currency\nstore-77,ONE-1,TEA-1,1,EUR\n');
    await writeFile(second, 'store,receipt,sku,quantity,currency\nstore-77,TWO-1,TEA-1,1,EUR\n');
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, [cli, ...args, '--token', admin]).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({
          code: error.code,
          stdout: error.stdout,
          stderr: error.stderr,
        }),
      );

    const both = await run([first, second, '--url', fixture.server.url]);
    expect(both).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'one file at a time (given 2)\nusage: npm run channels:pos -- FILE.csv --token ADMIN_TOKEN [--url http://127.0.0.1:4000] [--charset windows-1252]\n',
    });
    const hostPort = fixture.server.url.replace(/^http:\/\//, '');
    expect(await run([first, '--url', hostPort])).toEqual({
      code: 2,
      stdout: '',
      stderr: `--url: not an http:// or https:// URL (http://127.0.0.1:4000): ${hostPort}\n`,
    });
    expect(await storedReceipts('store-77')).toEqual([]);

    const one = await run([first, '--url', fixture.server.url]);
    expect([one.code, JSON.parse(one.stdout)]).toEqual([0, expect.objectContaining({ receipts: 1, created: 1 })]);
    expect(await storedReceipts('store-77')).toEqual(['ONE-1']);
  });

  it('npm run channels:pos with nothing listening names the URL it tried and why, exit 2', async () => {
    // A port that was free a moment ago: bound, read, closed.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const file = path.join(workDir, 'nobody.csv');
    await writeFile(file, 'store,receipt,sku,quantity,currency\n');
    const cli = path.join(PROJECT_ROOT, 'dist/src/channels/pos-cli.js');
    const url = `http://127.0.0.1:${port}`;
    const result = await promisify(execFile)(process.execPath, [cli, file, '--token', admin, '--url', url]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(result).toEqual({
      code: 2,
      stderr: `cannot reach ${url}/channels/pos/receipts: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    });
  });
});
