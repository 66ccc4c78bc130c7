import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signViewerToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import { CreateOrderDocument, UpsertProductDocument } from '../operations/generated';
import { postOperation } from '../support/graphql-client';
import { embeddedEnvironment, spawnServerProcess } from '../support/server';
import type { ServerProcess } from '../support/server';

/**
 * The embedded database (PGlite, in the server's process) answers a query without real I/O, so a
 * long chain of queries ran on in microtasks and the event loop never reached its I/O phase. Found
 * from outside: a GET /healthz sent during a 3,000-receipt POS upload was answered after 25.9 s,
 * when the upload ended. An ordering check, not a timer: a probe and another customer's checkout,
 * sent once the upload has reported progress, must both be answered before its final report.
 */

/** Receipts in the upload: it runs for several seconds here, far longer than the two requests. */
const RECEIPTS = 2_000;

let dataRoot: string;
let server: ServerProcess;
let env: Record<string, string>;

beforeAll(async () => {
  dataRoot = await mkdtemp(path.join(tmpdir(), 'og-embedded-busy-'));
  env = embeddedEnvironment(path.join(dataRoot, 'pglite'));
  server = await spawnServerProcess(env, 120_000, { keepLogs: false });
}, 130_000);

afterAll(async () => {
  if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  await server?.exited;
  if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
});

function posFile(receipts: number): string {
  const lines = ['store,receipt,sku,quantity,currency,customer'];
  for (let index = 1; index <= receipts; index++)
    lines.push(`store-12,R-${String(index).padStart(6, '0')},TEA-1,1,EUR,`);
  return `${lines.join('\n')}\n`;
}

/**
 * Uploads `csv` and reads the NDJSON answer as it streams, calling `onFirstProgress` once when its
 * first progress line arrives; resolves with the final report.
 */
async function uploadStreaming(
  csv: string,
  token: string,
  onFirstProgress: () => void,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}/channels/pos/receipts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: csv,
  });
  expect(response.status).toBe(200);
  const decoder = new TextDecoder();
  let pending = '';
  let progressSeen = false;
  const reader = response.body!.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    pending += decoder.decode(chunk.value, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const event = JSON.parse(line) as Record<string, unknown>;
      if (event['type'] === 'report') return event;
      if (!progressSeen) {
        progressSeen = true;
        onFirstProgress();
      }
    }
  }
  throw new Error(`the upload ended without a report: ${pending}`);
}

it('answers /healthz and another customer’s createOrder while a long POS upload runs', async () => {
  const { jwtSecret } = loadConfig(env);
  const admin = await signViewerToken({ customerId: 'ops', role: 'admin' }, jwtSecret);
  const customer = await signViewerToken({ customerId: 'gwen', role: 'customer' }, jwtSecret);
  const product = { sku: 'TEA-1', name: 'Tea', priceCents: 450, currency: 'EUR', stock: 1_000_000 };
  await postOperation(server.url, UpsertProductDocument, { input: product }, { token: admin });

  const answered: string[] = [];
  let requests: Promise<unknown> | undefined;
  const upload = uploadStreaming(posFile(RECEIPTS), admin, () => {
    requests = Promise.all([
      fetch(`${server.url}/healthz`).then((response) => answered.push(`healthz ${response.status}`)),
      postOperation(
        server.url,
        CreateOrderDocument,
        { key: 'busy-checkout-0001', input: { currency: 'EUR', items: [{ sku: 'TEA-1', quantity: 2 }] } },
        { token: customer },
      ).then((created) => answered.push(`createOrder ${created.body.data?.createOrder.__typename}`)),
    ]);
  }).then((report) => {
    answered.push('upload report');
    return report;
  });

  const report = await upload;
  await requests;
  expect(report).toMatchObject({ type: 'report', created: RECEIPTS, failed: 0 });
  expect(answered).toHaveLength(3);
  expect(answered.slice(0, 2).sort()).toEqual(['createOrder OrderCreated', 'healthz 200']);
  expect(answered[2]).toBe('upload report');
}, 300_000);
