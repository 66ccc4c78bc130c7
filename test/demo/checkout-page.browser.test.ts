import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { launchChromium } from '../support/browser';
import { signViewerToken } from '../../src/auth/jwt';
import { PROJECT_ROOT, startTestServer } from '../support/server';
import type { TestServer } from '../support/server';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test/artifacts');
const PENDING = 'order-gate-demo:pending';
const SESSION = 'order-gate-demo:session';

let db: TestDatabase;
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  // The page loads the SDK bundle that `npm run build` makes; make it here too for jest-only runs.
  execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts/build-client.js')]);
  mkdirSync(ARTIFACTS, { recursive: true });
  db = await createTestDatabase('checkout_page');
  server = await startTestServer(db.url, 'checkout-page');
  await seedProducts(db.url, [
    { sku: 'DEMO-TEA', priceCents: 450, stock: 500 },
    { sku: 'DEMO-MUG', priceCents: 1_200, stock: 200 },
    { sku: 'DEMO-HONEY', priceCents: 790, stock: 300 },
  ]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await db?.drop();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 900, height: 760 } });
  page = await context.newPage();
});

afterEach(async () => {
  await context?.close();
});

/** Opens the checkout as a fresh shopper and picks 2 teas and 1 mug (9.00 + 12.00 = 21.00 EUR). */
async function openCheckout(): Promise<string> {
  const customerId = `shopper-${randomBytes(4).toString('hex')}`;
  await page.goto(`${server.url}/demo?customer=${customerId}`);
  await page.locator('#place-order:enabled').waitFor();
  await page.fill('input[data-sku="DEMO-TEA"]', '2');
  await page.fill('input[data-sku="DEMO-MUG"]', '1');
  return customerId;
}

async function ordersOf(customerId: string) {
  return db.query<{ id: string; idempotencyKey: string; totalCents: number }>(
    'SELECT "id", "idempotencyKey", "totalCents" FROM "Order" WHERE "customerId" = $1',
    [customerId],
  );
}

function isCreateOrder(route: Route): boolean {
  return route.request().postData()?.includes('createOrder(') ?? false;
}

/** Counts the createOrder requests the page sends. */
function countCreateOrders(): () => number {
  let sent = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql') && request.postData()?.includes('createOrder(')) sent += 1;
  });
  return () => sent;
}

describe('the /demo checkout page in Chromium', () => {
  it('turns a rapid triple click into one request and one order', async () => {
    const customerId = await openCheckout();
    const sent = countCreateOrders();
    await page.locator('#place-order').click({ clickCount: 3, delay: 0 });
    await page.locator('#result[data-state="created"]').waitFor();
    const orders = await ordersOf(customerId);
    expect(orders).toHaveLength(1);
    expect(orders[0].totalCents).toBe(2_100);
    expect(await page.locator('#result').getAttribute('data-order-id')).toBe(orders[0].id);
    expect(sent()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'checkout-triple-click.png'), fullPage: true });
  });

  it('recovers from a response the network dropped: the SDK retries with the same key, one order, shown as a replay', async () => {
    const customerId = await openCheckout();
    let dropped = false;
    let buttonWhileDropped: boolean | undefined;
    await page.route('**/graphql', async (route) => {
      if (!isCreateOrder(route) || dropped) return route.continue();
      dropped = true;
      await route.fetch(); // the server places the order …
      buttonWhileDropped = await page.locator('#place-order').isDisabled();
      await route.abort('connectionreset'); // … and the page never hears of it
    });
    await page.click('#place-order');
    await page.locator('#result[data-state="replayed"]').waitFor();
    expect(dropped).toBe(true);
    expect(buttonWhileDropped).toBe(true);
    const orders = await ordersOf(customerId);
    expect(orders).toHaveLength(1);
    expect(await page.locator('#result').getAttribute('data-order-id')).toBe(orders[0].id);
    expect(await page.locator('#order-key').textContent()).toBe(orders[0].idempotencyKey);
    expect(await page.locator('#result').textContent()).toContain('detected by CACHE');
    // The page refreshes stock before it gives the button back: wait for that, do not race it.
    await page.locator('#place-order:enabled').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'checkout-dropped-response.png'), fullPage: true });
  });

  it('keeps the key after an answer it does not know (a newer server): pressing again replays the order, one order', async () => {
    const customerId = await openCheckout();
    let foreign = false;
    await page.route('**/graphql', async (route) => {
      if (!isCreateOrder(route) || foreign) return route.continue();
      foreign = true;
      await route.fetch(); // the server places the order; the page gets a member it was not built with
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ data: { createOrder: { __typename: 'PaymentRequired' } } }),
      });
    });
    await page.click('#place-order');
    await page.locator('#place-order:enabled').waitFor({ timeout: 10_000 });
    expect(foreign).toBe(true);
    expect(await page.locator('#result').textContent()).toContain('UnrecognizedAnswer');
    const pending = JSON.parse((await page.evaluate((name) => sessionStorage.getItem(name), PENDING)) ?? 'null') as {
      key: string;
    } | null;
    expect(pending?.key).toMatch(/^ck1\./);

    await page.click('#place-order');
    await page.locator('#result[data-state="replayed"]').waitFor();
    const orders = await ordersOf(customerId);
    expect(orders).toEqual([expect.objectContaining({ idempotencyKey: pending!.key })]);
  });

  it('resubmits with the stored key after a reload mid-submit: one order', async () => {
    const customerId = await openCheckout();
    let reachedServer!: () => void;
    const firstReachedServer = new Promise<void>((resolve) => (reachedServer = resolve));
    let held = false;
    await page.route('**/graphql', async (route) => {
      if (!isCreateOrder(route) || held) return route.continue();
      held = true;
      await route.fetch(); // the server places the order; the page is reloaded before it gets the answer
      reachedServer();
    });
    await page.click('#place-order');
    await firstReachedServer;
    expect(await page.locator('#place-order').isDisabled()).toBe(true);
    const pending = JSON.parse((await page.evaluate((name) => sessionStorage.getItem(name), PENDING)) ?? 'null') as {
      key: string;
    } | null;
    expect(pending?.key).toMatch(/^ck1\./);

    await page.reload();
    await page.locator('#result[data-state="replayed"]').waitFor();
    const orders = await ordersOf(customerId);
    expect(orders).toEqual([expect.objectContaining({ idempotencyKey: pending!.key, totalCents: 2_100 })]);
    expect(await page.locator('#result').getAttribute('data-order-id')).toBe(orders[0].id);
    expect(await page.evaluate((name) => sessionStorage.getItem(name), PENDING)).toBeNull();
    await page.screenshot({ path: path.join(ARTIFACTS, 'checkout-reload-mid-submit.png'), fullPage: true });
  });

  // The page keeps its demo session (a bearer token) for the tab's life; the token lasts an hour.
  it.each([
    ['expired an hour after it was made', (secret: string) => secret, -60],
    ['signed by another secret (the server restarted with a new JWT_SECRET)', () => 'another-secret-0123456789', 3_600],
  ])(
    'starts a new session when the kept one was %s: products shown, an order placed',
    async (_what, secret, expiresIn) => {
      const customerId = `shopper-${randomBytes(4).toString('hex')}`;
      const exp = Math.floor(Date.now() / 1000) + expiresIn;
      const token = await signViewerToken({ customerId, role: 'customer' }, secret(server.config.jwtSecret), {
        expiresIn: exp,
      });
      const kept = { customerId, token, skus: ['DEMO-TEA', 'DEMO-MUG', 'DEMO-HONEY'], expiresAt: new Date(exp * 1000) };
      await page.addInitScript(([name, value]) => sessionStorage.setItem(name, value), [SESSION, JSON.stringify(kept)]);
      await page.goto(`${server.url}/demo?customer=${customerId}`);
      await page.locator('#place-order:enabled').waitFor();
      await page.fill('input[data-sku="DEMO-TEA"]', '2', { timeout: 5_000 });
      await page.click('#place-order');
      await page.locator('#result[data-state="created"]').waitFor();
      expect(await ordersOf(customerId)).toEqual([expect.objectContaining({ totalCents: 900 })]);
    },
  );
});
