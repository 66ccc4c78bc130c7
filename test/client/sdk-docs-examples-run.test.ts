import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { seedProducts, stockOf } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { docsExample } from '../support/docs';
import { PROJECT_ROOT, startTestServer } from '../support/server';
import type { TestServer } from '../support/server';

/**
 * The SDK examples of docs/tokens-and-sdk.md, run as an app would run them: bundled from the page
 * (only the API's address replaced by this server's) and called from a Node process of their own
 * against the real server. test/client/sdk-in-user-projects.test.ts compiles them; this runs them,
 * with the answers the page says they give.
 */
const PAGE = 'docs/tokens-and-sdk.md';
let db: TestDatabase;
let server: TestServer;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase('sdk_docs_run');
  server = await startTestServer(db.url, 'sdk-docs-run');
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-sdk-docs-'));
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The page's example `name`, its address this server's, bundled with `main` into one script; what it prints. */
async function runExample(name: string, main: string, ...args: string[]): Promise<string> {
  const example = (await docsExample(name, PAGE)).replaceAll(
    'https://api.example.com/graphql',
    `${server.url}/graphql`,
  );
  const entry = `${example}\n${main}`;
  const bundled = await build({
    stdin: { contents: entry, resolveDir: PROJECT_ROOT, loader: 'ts', sourcefile: `${name}.ts` },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const file = path.join(dir, `${name}.mjs`);
  await writeFile(file, bundled.outputFiles[0].text);
  return (await promisify(execFile)(process.execPath, [file, ...args], { timeout: 30_000 })).stdout;
}

const CHECKOUT = `await checkout(process.argv[2]!);`;

describe('the examples of docs/tokens-and-sdk.md, run against the server', () => {
  it('sdk-checkout: on a fresh server TEA-1 is unknown (ValidationFailed, field items), as the page says', async () => {
    const printed = await runExample('sdk-checkout', CHECKOUT, await server.tokenFor('alice'));
    expect(printed).toMatch(/kind: 'ValidationFailed'/);
    expect(printed).toMatch(/field: 'items'/);
  });

  it("sdk-checkout: after the README's product, your order and not a replay; a second checkout is held as a possible duplicate", async () => {
    await seedProducts(db.url, [{ sku: 'TEA-1', priceCents: 450, stock: 100 }]);
    const jwt = await server.tokenFor('alice');
    const first = await runExample('sdk-checkout', CHECKOUT, jwt);
    expect(first).toMatch(/^your order [0-9a-f-]{36} false\n$/);
    const second = await runExample('sdk-checkout', CHECKOUT, jwt);
    expect(second).toMatch(/kind: 'PossibleDuplicate'/);
    expect(second).toContain(first.split(' ')[2]);
  });

  it("sdk-lifecycle: cancels once; the same key again, another key, an unknown order and a bad key each get the page's sentence", async () => {
    await seedProducts(db.url, [{ sku: 'MUG-1', priceCents: 800, stock: 10 }]);
    const main = `
      const { OrderGateClient } = await import('./src/client/index.js');
      const client = new OrderGateClient({ url: ${JSON.stringify(`${server.url}/graphql`)}, authToken: process.argv[2]!, customerId: 'carol' });
      const placed = await client.createOrder({ currency: 'EUR', items: [{ sku: 'MUG-1', quantity: 1 }] });
      if (!placed.ok) throw new Error(JSON.stringify(placed.failure));
      const id = placed.order.id;
      console.log(JSON.stringify([
        await cancel(client, id, 'cancel-carol-0001'),
        await cancel(client, id, 'cancel-carol-0001'),
        await cancel(client, id, 'cancel-carol-0002'),
        await cancel(client, '00000000-0000-4000-8000-000000000000', 'cancel-carol-0003'),
        await cancel(client, id, 'short'),
      ]));`;
    const told = JSON.parse(await runExample('sdk-lifecycle', main, await server.tokenFor('carol'))) as string[];
    expect(told.slice(0, 4)).toEqual([
      'Cancelled.',
      'Cancelled.',
      'It was already cancelled.',
      'There is no such order.',
    ]);
    // The default branch: the member's own message (here InvalidIdempotencyKey's), not a failure.
    expect(told[4]).toMatch(/idempotency key/i);
    expect(await stockOf(db, 'MUG-1')).toBe(10);
  });

  it('sdk-errors: a token the server refuses tells the shopper to sign in; an unreachable shop says so with its code', async () => {
    const main = `
      const { OrderGateClient } = await import('./src/client/index.js');
      const ask = (url: string, authToken: string) =>
        orderToken(new OrderGateClient({ url, authToken, customerId: 'alice', retry: { maxAttempts: 1 } }));
      console.log(JSON.stringify([await ask(${JSON.stringify(`${server.url}/graphql`)}, 'not-a-token'), await ask('http://127.0.0.1:9/graphql', 'x')]));`;
    const printed = await runExample('sdk-errors', main);
    expect(JSON.parse(printed)).toEqual([
      { tell: 'Please sign in again.' },
      { tell: 'The shop cannot be reached (NETWORK_ERROR): try again.' },
    ]);
  });
});
