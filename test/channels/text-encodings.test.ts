import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { seedProducts } from '../support/catalog';
import { runBuiltCli } from '../support/cli';
import { request } from '../support/http';
import { withTestServer } from '../support/test-server-fixture';

// Bytes that are not UTF-8 were decoded with U+FFFD in their place: a Latin-1 export's receipts
// R-é and R-è (and customers José and Josè) became one receipt and one customer, and two signed
// marketplace orders LAT-é and LAT-è one order (found from outside). Every door now refuses such
// a body with a stable code, writing nothing, unless it names its encoding.
const SECRET = 'acme-webhook-secret-for-encodings';
const fixture = withTestServer('text-encodings', { MARKETPLACE_WEBHOOK_SECRETS: `acme=${SECRET}` });
let admin: string;
let workDir: string;

beforeAll(async () => {
  await seedProducts(fixture.db.url, [
    { sku: 'ENC-1', priceCents: 100, stock: 1_000 },
    { sku: 'ENC-2', priceCents: 100, stock: 1_000 },
  ]);
  admin = await fixture.server.tokenFor('pos-ops', 'admin');
  workDir = await mkdtemp(path.join(os.tmpdir(), 'og-encodings-'));
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const ordersOf = (source: string) =>
  fixture.db.query<{ externalId: string; customerId: string }>(
    `SELECT "externalId", "customerId" FROM "Order" WHERE "source" = $1 ORDER BY "externalId"`,
    [source],
  );

const upload = (bytes: Buffer, contentType = 'text/csv') =>
  request(fixture.server.url, '/channels/pos/receipts', {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': contentType },
    body: bytes,
  });

const latin1File = (store: string) =>
  Buffer.from(
    // Customers of this store alone: the same customer's cart again would be held as a duplicate.
    `store,receipt,sku,quantity,currency,customer\n${store},R-\xe9,ENC-1,1,EUR,Jos\xe9@${store}\n${store},R-\xe8,ENC-2,1,EUR,Jos\xe8@${store}\n`,
    'latin1',
  );

describe('text that is not UTF-8', () => {
  it('POS: a Latin-1 file is refused whole (BAD_FILE, naming the line), and placed as written once its charset is named', async () => {
    const store = `enc-${randomUUID().slice(0, 8)}`;
    const refused = await upload(latin1File(store));
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text)).toMatchObject({ code: 'BAD_FILE', detail: expect.stringContaining('line 2') });
    expect(await ordersOf(store)).toEqual([]);

    const named = await upload(latin1File(store), 'text/csv; charset=windows-1252');
    expect(named.status).toBe(200);
    expect(await ordersOf(store)).toEqual([
      { externalId: 'R-è', customerId: `Josè@${store}` },
      { externalId: 'R-é', customerId: `José@${store}` },
    ]);
  });

  it('POS: a UTF-16 file with its byte order mark is read as such; an unknown charset is BAD_FILE', async () => {
    const store = `enc-${randomUUID().slice(0, 8)}`;
    const text = `store,receipt,sku,quantity,currency\n${store},R-ü,ENC-1,1,EUR\n`;
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect((await upload(utf16)).status).toBe(200);
    expect((await ordersOf(store)).map((order) => order.externalId)).toEqual(['R-ü']);

    const unknown = await upload(Buffer.from(text), 'text/csv; charset=klingon');
    expect([unknown.status, (JSON.parse(unknown.text) as { code: string }).code]).toEqual([400, 'BAD_FILE']);
  });

  it('npm run channels:pos --charset names the file’s encoding; without it a Latin-1 file exits 2 saying why', async () => {
    const store = `enc-${randomUUID().slice(0, 8)}`;
    const file = path.join(workDir, 'latin1.csv');
    await writeFile(file, latin1File(store));
    const base = [file, '--token', admin, '--url', fixture.server.url];
    const refused = await runBuiltCli('src/channels/pos-cli.js', base);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('BAD_FILE');
    expect(await ordersOf(store)).toEqual([]);
    // Not a charset name (a line break would make a header of it): refused before anything is sent.
    const forged = await runBuiltCli('src/channels/pos-cli.js', [...base, '--charset', 'utf-8\r\nx-other: 1']);
    expect([forged.code, forged.stderr]).toEqual([2, expect.stringMatching(/^--charset must be a charset name/)]);
    const placed = await runBuiltCli('src/channels/pos-cli.js', [...base, '--charset', 'windows-1252']);
    expect(placed.code).toBe(0);
    expect((await ordersOf(store)).map((order) => order.customerId).sort()).toEqual([`Josè@${store}`, `José@${store}`]);
  });

  it('webhook: a signed body that is not UTF-8 is BAD_PAYLOAD, and two such orders are never taken for one', async () => {
    const source = 'acme';
    for (const byte of [0xe9, 0xe8]) {
      const body = Buffer.concat([
        Buffer.from('{"orderId":"LAT-'),
        Buffer.from([byte]),
        Buffer.from('","customerId":"latin","currency":"EUR","items":[{"sku":"ENC-1","quantity":1}]}'),
      ]);
      // Signed over the bytes as sent, as a sender that writes Latin-1 does.
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = createHmac('sha256', SECRET).update(`${timestamp}.`).update(body).digest('hex');
      const answer = await request(fixture.server.url, `/channels/marketplace/${source}/orders`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-signature-timestamp': timestamp,
          'x-signature': `sha256=${signature}`,
        },
        body,
      });
      expect([answer.status, (JSON.parse(answer.text) as { code: string }).code]).toEqual([400, 'BAD_PAYLOAD']);
    }
    expect(await ordersOf(source)).toEqual([]);
  });
});
