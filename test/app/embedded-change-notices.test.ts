import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signViewerToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import { cancelOrder, changeShippingAddress, refundOrder } from '../orders/lifecycle/lifecycle-client';
import { CreateOrderDocument, UpsertProductDocument } from '../operations/generated';
import { lastJson, runBuiltCli } from '../support/cli';
import { postOperation } from '../support/graphql-client';
import { orderIdOf } from '../support/order-client';
import { PROJECT_ROOT, embeddedEnvironment, spawnServerProcess } from '../support/server';
import type { ServerProcess } from '../support/server';

/**
 * The embedded mode (one process, no listener) announces no change: a notice (OrderChangeNotice)
 * is read and pruned only by the servers mode's listeners, so each one written here stayed for
 * good (found from outside: one row per cancellation, refund, address change and merge).
 */

let dataRoot: string;
let env: Record<string, string>;
let server: ServerProcess | undefined;

beforeAll(async () => {
  dataRoot = await mkdtemp(path.join(tmpdir(), 'og-embedded-notices-'));
  env = {
    ...embeddedEnvironment(path.join(dataRoot, 'pglite')),
    // The same cart twice is two orders, which the dedupe scan then finds and merges.
    SEMANTIC_DUPLICATE_POLICY: 'OFF',
  };
});

afterAll(async () => {
  if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  await server?.exited;
  if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
});

/**
 * The notices in the embedded database, read by a separate Node process with the built code:
 * PGlite loads its WebAssembly through a dynamic import, which Jest's module system refuses.
 */
const COUNT_NOTICES = `
  const { openEmbeddedDatabase } = require('./dist/src/db/embedded-database');
  openEmbeddedDatabase({ dataDir: process.argv[1], migrate: false }).then(async (database) => {
    const notices = await database.prisma.orderChangeNotice.count();
    await database.close();
    process.stdout.write(String(notices));
  });
`;

function noticesIn(dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', COUNT_NOTICES, dir], { cwd: PROJECT_ROOT }, (error, stdout, stderr) => {
      if (error) reject(new Error(`reading ${dir} failed: ${stderr}`));
      else resolve(Number(stdout));
    });
  });
}

it('writes no order-change notice for cancellations, refunds, address changes and merges', async () => {
  server = await spawnServerProcess(env, 120_000, { keepLogs: false });
  const { jwtSecret } = loadConfig(env);
  const admin = await signViewerToken({ customerId: 'ops', role: 'admin' }, jwtSecret);
  const customer = await signViewerToken({ customerId: 'nora', role: 'customer' }, jwtSecret);
  const product = { sku: 'NOTICE-1', name: 'Tea', priceCents: 500, currency: 'EUR', stock: 100 };
  await postOperation(server.url, UpsertProductDocument, { input: product }, { token: admin });
  const cart = { currency: 'EUR', items: [{ sku: 'NOTICE-1', quantity: 1 }] };
  const orderIds: string[] = [];
  for (let index = 0; index < 5; index++) {
    const created = await postOperation(
      server.url,
      CreateOrderDocument,
      { key: `notice-order-${index}`, input: cart },
      { token: customer },
    );
    orderIds.push(orderIdOf(created.body.data?.createOrder) ?? 'none');
  }
  const [cancelled, refunded, moved] = orderIds;
  const address = { name: 'Nora', line1: '2 Rue B', city: 'Lyon', postalCode: '69002', country: 'FR' };
  const answers = [
    await cancelOrder(server.url, customer, { orderId: cancelled, key: 'notice-cancel', reason: 'changed mind' }),
    await refundOrder(server.url, admin, { orderId: refunded, key: 'notice-refund', amountCents: 200 }),
    await changeShippingAddress(server.url, customer, { orderId: moved, key: 'notice-address', address }),
  ];
  expect(answers.map((answer) => answer.__typename)).toEqual([
    'OrderCancelled',
    'OrderRefunded',
    'ShippingAddressChanged',
  ]);
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);

  // The dedupe merge on the same folder (the server stopped, as its help says): the two orders
  // left with the same cart and customer, and the refunded one, are one group.
  const report = path.join(dataRoot, 'report.json');
  const cli = { env: { ...env, REDIS_URL: '' } };
  const scan = await runBuiltCli('src/order-index/dedupe-cli.js', ['scan', '--report', report], cli);
  expect(scan.code).toBe(0);
  const merge = await runBuiltCli('src/order-index/dedupe-cli.js', ['merge', '--report', report, '--apply'], cli);
  expect({ code: merge.code, stderr: merge.stderr }).toEqual({ code: 0, stderr: '' });
  expect(lastJson<{ cancelled: number }>(merge.stdout).cancelled).toBeGreaterThan(0);

  expect(await noticesIn(env['EMBEDDED_DATA_DIR'])).toBe(0);
}, 300_000);
