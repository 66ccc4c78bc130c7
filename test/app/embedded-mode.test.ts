import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signViewerToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import { ChangeShippingAddressDocument, ReleaseHeldOrderDocument } from '../../src/client/generated';
import { defaultMigrationsDir } from '../../src/db/migrations/migrator';
import {
  CreateOrderDocument,
  IssueOrderTokenDocument,
  OrderDocument,
  UpsertProductDocument,
} from '../operations/generated';
import { postGraphQL, postOperation } from '../support/graphql-client';
import { orderIdOf } from '../support/order-client';
import { PROJECT_ROOT, embeddedEnvironment, spawnServerProcess } from '../support/server';
import type { ServerProcess } from '../support/server';

/**
 * `npm start` on a fresh machine: the built server with neither DATABASE_URL nor REDIS_URL runs
 * on an embedded PostgreSQL (PGlite) in a data folder and keeps claims in memory.
 */

let dataRoot: string;
let dataDir: string;
let env: Record<string, string>;
const running: ServerProcess[] = [];

beforeAll(async () => {
  dataRoot = await mkdtemp(path.join(tmpdir(), 'og-embedded-'));
  dataDir = path.join(dataRoot, 'pglite');
  env = embeddedEnvironment(dataDir);
});

afterAll(async () => {
  for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await Promise.all(running.map((server) => server.exited));
  await rm(dataRoot, { recursive: true, force: true });
});

async function start(): Promise<ServerProcess> {
  const server = await spawnServerProcess(env, 120_000);
  running.push(server);
  return server;
}

/**
 * Orders (with items) and products in the embedded database at `dir`, read by a separate Node
 * process with the built code: PGlite loads its WebAssembly through a dynamic import, which
 * Jest's module system refuses.
 */
const READ_DATABASE = `
  const { openEmbeddedDatabase } = require('./dist/src/db/embedded-database');
  openEmbeddedDatabase({ dataDir: process.argv[1], migrate: false }).then(async (database) => {
    const orders = await database.prisma.order.findMany({ include: { items: true } });
    const products = await database.prisma.product.findMany();
    await database.close();
    process.stdout.write(JSON.stringify({ orders, products }));
  });
`;

interface DatabaseContent {
  orders: {
    id: string;
    customerId: string;
    idempotencyKey: string;
    totalCents: number;
    items: { sku: string; quantity: number; unitPriceCents: number }[];
  }[];
  products: { sku: string; stock: number }[];
}

function readEmbeddedDatabase(dir: string): Promise<DatabaseContent> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', READ_DATABASE, dir], { cwd: PROJECT_ROOT }, (error, stdout, stderr) => {
      if (error) reject(new Error(`reading ${dir} failed: ${stderr}`));
      else resolve(JSON.parse(stdout) as DatabaseContent);
    });
  });
}

async function stop(server: ServerProcess): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exited;
}

describe('the server with DATABASE_URL and REDIS_URL unset', () => {
  const input = { currency: 'EUR', items: [{ sku: 'EMB-1', quantity: 3 }] };
  const key = 'embedded-checkout-0001';
  let customerToken: string;
  let adminToken: string;
  let orderId: string;
  let tokenOrderId: string;

  beforeAll(async () => {
    const { jwtSecret } = loadConfig(env);
    customerToken = await signViewerToken({ customerId: 'erin', role: 'customer' }, jwtSecret);
    adminToken = await signViewerToken({ customerId: 'ops', role: 'admin' }, jwtSecret);
  });

  it('serves createOrder on the embedded database, and a repeat gets the same order back', async () => {
    const server = await start();
    expect(server.logs).toContainEqual(expect.objectContaining({ mode: 'embedded', dataDir }));
    const migrations = (await readdir(defaultMigrationsDir(), { withFileTypes: true })).filter((entry) =>
      entry.isDirectory(),
    );
    expect(server.logs).toContainEqual(
      expect.objectContaining({ msg: 'migrations applied', applied: migrations.map((entry) => entry.name).sort() }),
    );

    const product = await postOperation(
      server.url,
      UpsertProductDocument,
      { input: { sku: 'EMB-1', name: 'Embedded tea', priceCents: 450, currency: 'EUR', stock: 10 } },
      { token: adminToken },
    );
    expect(product.body).toEqual({ data: { upsertProduct: expect.objectContaining({ sku: 'EMB-1', stock: 10 }) } });

    const created = await postOperation(server.url, CreateOrderDocument, { key, input }, { token: customerToken });
    expect(created.body.data?.createOrder).toMatchObject({ __typename: 'OrderCreated', order: { totalCents: 1350 } });
    orderId = orderIdOf(created.body.data?.createOrder) ?? 'none';

    const repeated = await postOperation(server.url, CreateOrderDocument, { key, input }, { token: customerToken });
    expect(repeated.body.data?.createOrder).toMatchObject({ __typename: 'DuplicateDetected', detectedBy: 'CACHE' });
    expect(orderIdOf(repeated.body.data?.createOrder)).toBe(orderId);

    const reused = await postOperation(
      server.url,
      CreateOrderDocument,
      { key, input: { ...input, items: [{ sku: 'EMB-1', quantity: 1 }] } },
      { token: customerToken },
    );
    expect(reused.body.data?.createOrder.__typename).toBe('IdempotencyKeyReused');

    // A change here announces nothing (no other instance, no listener: embedded-change-notices.test.ts).
    const address = { name: 'Erin', line1: '1 Rue A', city: 'Lyon', postalCode: '69001', country: 'fr' };
    const moved = await postOperation(
      server.url,
      ChangeShippingAddressDocument,
      { orderId, key: 'embedded-address-0001', address },
      { token: customerToken },
    );
    expect(moved.body.data?.changeShippingAddress).toMatchObject({ __typename: 'ShippingAddressChanged' });

    // One-time order tokens work without Redis too: one order per token.
    const issued = await postOperation(server.url, IssueOrderTokenDocument, {}, { token: customerToken });
    const orderToken = issued.body.data?.issueOrderToken.token;
    expect(orderToken).toEqual(expect.any(String));
    const tokenInput = { currency: 'EUR', items: [{ sku: 'EMB-1', quantity: 1 }], orderToken };
    const withToken = await postOperation(
      server.url,
      CreateOrderDocument,
      { key: 'embedded-token-0001', input: tokenInput },
      { token: customerToken },
    );
    expect(withToken.body.data?.createOrder.__typename).toBe('OrderCreated');
    tokenOrderId = orderIdOf(withToken.body.data?.createOrder) ?? 'none';
    const tokenAgain = await postOperation(
      server.url,
      CreateOrderDocument,
      { key: 'embedded-token-0002', input: tokenInput },
      { token: customerToken },
    );
    expect(tokenAgain.body.data?.createOrder).toMatchObject({ __typename: 'DuplicateDetected', detectedBy: 'TOKEN' });
    expect(orderIdOf(tokenAgain.body.data?.createOrder)).toBe(tokenOrderId);

    expect(await stop(server)).toBe(0);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it('keeps the order across a restart on the same data folder, and still answers the repeat', async () => {
    const server = await start();
    expect(server.logs).toContainEqual(expect.objectContaining({ msg: 'database schema is up to date', applied: [] }));

    const order = await postOperation(server.url, OrderDocument, { id: orderId }, { token: customerToken });
    expect(order.body.data?.order).toMatchObject({ id: orderId, idempotencyKey: key, totalCents: 1350 });

    // The in-memory claims are gone with the old process: the database's unique index answers.
    const repeated = await postOperation(server.url, CreateOrderDocument, { key, input }, { token: customerToken });
    expect(repeated.body.data?.createOrder).toMatchObject({ __typename: 'DuplicateDetected', detectedBy: 'DATABASE' });
    expect(orderIdOf(repeated.body.data?.createOrder)).toBe(orderId);

    // A held possible duplicate is kept and released on PGlite too; a refusal rolls back to its savepoint.
    const frank = await signViewerToken({ customerId: 'frank', role: 'customer' }, loadConfig(env).jwtSecret);
    const product = { sku: 'EMB-2', name: 'Embedded coffee', priceCents: 300, currency: 'EUR', stock: 1 };
    await postOperation(server.url, UpsertProductDocument, { input: product }, { token: adminToken });
    const cart = { currency: 'EUR', items: [{ sku: 'EMB-2', quantity: 1 }] };
    const first = await postOperation(
      server.url,
      CreateOrderDocument,
      { key: 'embedded-f-0001', input: cart },
      { token: frank },
    );
    expect(first.body.data?.createOrder.__typename).toBe('OrderCreated');
    const held = await postGraphQL<{ createOrder: { __typename: string; heldOrderId: string } }>(
      server.url,
      'mutation($key: String!, $input: CreateOrderInput!) { createOrder(idempotencyKey: $key, input: $input) { __typename ... on PossibleDuplicate { heldOrderId } } }',
      { key: 'embedded-f-0002', input: cart },
      { token: frank },
    );
    expect(held.body.data?.createOrder.__typename).toBe('PossibleDuplicate');
    const heldOrderId = held.body.data!.createOrder.heldOrderId;
    const release = { heldOrderId, key: 'embedded-release-0001' };
    const refused = await postOperation(server.url, ReleaseHeldOrderDocument, release, { token: adminToken });
    expect(refused.body.data?.releaseHeldOrder).toMatchObject({ __typename: 'InsufficientStock', available: 0 });
    await postOperation(server.url, UpsertProductDocument, { input: { ...product, stock: 5 } }, { token: adminToken });
    const released = await postOperation(server.url, ReleaseHeldOrderDocument, release, { token: adminToken });
    expect(released.body.data?.releaseHeldOrder).toMatchObject({
      __typename: 'HeldOrderReleased',
      order: { idempotencyKey: 'embedded-f-0002' },
    });

    const second = await spawnServerProcess(env, 120_000).then(
      () => 'started',
      (error: Error) => error.message,
    );
    // Named as every refusal to start is, with what to do about it.
    expect(second).toMatch(
      /Cannot start: EMBEDDED_DATA_DIR \S+ is in use by process \d+: the embedded database serves one process at a time\. Stop that process, or give this one another folder \(EMBEDDED_DATA_DIR\)/,
    );
    expect(second).not.toMatch(/\n\s+at /); // the message alone, no stack

    expect(await stop(server)).toBe(0);
  });

  it('wrote exactly one order per intent and took the stock once for each', async () => {
    const { orders, products } = await readEmbeddedDatabase(dataDir);
    expect(orders.filter((order) => order.customerId === 'frank')).toHaveLength(2);
    const byKey = [...orders.filter((order) => order.customerId === 'erin')].sort((a, b) =>
      a.idempotencyKey.localeCompare(b.idempotencyKey),
    );
    expect(byKey).toEqual([
      expect.objectContaining({ id: orderId, customerId: 'erin', idempotencyKey: key, totalCents: 1350 }),
      expect.objectContaining({
        id: tokenOrderId,
        customerId: 'erin',
        idempotencyKey: 'embedded-token-0001',
        totalCents: 450,
      }),
    ]);
    expect(byKey[0]?.items).toEqual([expect.objectContaining({ sku: 'EMB-1', quantity: 3, unitPriceCents: 450 })]);
    expect(products.filter((product) => product.sku === 'EMB-1')).toEqual([
      expect.objectContaining({ sku: 'EMB-1', stock: 6 }),
    ]);
  });
});
