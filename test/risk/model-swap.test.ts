import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { signViewerToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import type { RiskModelFile } from '../../src/risk/risk-model';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { postGraphQL } from '../support/graphql-client';
import { deleteRedisPrefix } from '../support/redis';
import { SHIPPED_MODEL_PATH, auditOf, sendOrder } from '../support/risk';
import { spawnServerProcess, startTestServer, testEnvironment } from '../support/server';
import type { TestServer } from '../support/server';
import { waitUntil } from '../support/wait';

const shipped = JSON.parse(readFileSync(SHIPPED_MODEL_PATH, 'utf8')) as RiskModelFile;
/** The shipped model, but sure that nothing is a duplicate: every candidate passes. */
const trusting: RiskModelFile = { ...shipped, modelVersion: 'trusting-test-model', bias: shipped.bias - 40 };
const cart = { currency: 'EUR', items: [{ sku: 'SWAP-1', quantity: 1 }] };

let db: TestDatabase;
let directory: string;
let modelPath: string;

/** Replaces the model file as a deploy does: written beside it, then renamed over it. */
async function install(content: unknown): Promise<void> {
  const temporary = `${modelPath}.${randomUUID()}.tmp`;
  await writeFile(temporary, typeof content === 'string' ? content : JSON.stringify(content));
  await rename(temporary, modelPath);
}

beforeAll(async () => {
  db = await createTestDatabase('risk_model_swap');
  await seedProducts(db.url, [{ sku: 'SWAP-1', priceCents: 100, stock: 10_000 }]);
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'og-risk-swap-'));
  modelPath = path.join(directory, 'duplicate-risk.json');
  await install(shipped);
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** An order and an equivalent one right after it, by a new customer: what the second one got, and its audit records. */
async function pair(server: TestServer) {
  const who = `swap-${randomUUID().slice(0, 8)}`;
  await sendOrder(server, who, cart);
  const again = await sendOrder(server, who, cart);
  return { again, audit: await auditOf(server, db, who) };
}

describe('swapping the duplicate-risk model without a restart', () => {
  it('a running server picks up a replaced file by itself, and keeps its model when the new file is broken', async () => {
    const server = await startTestServer(db.url, 'risk-swap', {
      RISK_MODEL_PATH: modelPath,
      RISK_MODEL_WATCH_MS: '50',
      RISK_FEATURES_TIMEOUT_MS: '1000',
      // Which model scores is under test here, not the guard rail (it would flag the trusting model's pass).
      RISK_MIN_HOLD_MS: '0',
    });
    try {
      const before = await pair(server);
      expect(before.again.__typename).toBe('PossibleDuplicate');
      expect(before.audit[1]).toMatchObject({
        outcome: 'possible_duplicate_held',
        riskModelVersion: shipped.modelVersion,
      });

      await install(trusting);
      await waitUntil(
        'the watcher to load the new model',
        async () => server.app.services.risk!.model()?.version === trusting.modelVersion,
      );
      const after = await pair(server);
      // Scored (the candidate was found), but far below the flag threshold: created, unmarked.
      expect(after.again).toMatchObject({ __typename: 'OrderCreated', order: { possibleDuplicateOfId: null } });
      expect(after.audit[1]).toMatchObject({ outcome: 'created', riskModelVersion: trusting.modelVersion });
      expect(after.audit[1].riskScore).toBeLessThan(shipped.thresholds.flagAtScore);

      await install('{ "format": "order-gate/duplicate-risk-model", ');
      expect(await server.app.reloadRiskModel()).toMatchObject({
        status: 'rejected',
        keptVersion: trusting.modelVersion,
      });
      expect((await pair(server)).audit[1]).toMatchObject({
        outcome: 'created',
        riskModelVersion: trusting.modelVersion,
      });
    } finally {
      await server.stop();
    }
  });

  it('refuses to start when the configured model file does not load, naming it', async () => {
    const missing = path.join(directory, 'no-such-model.json');
    await expect(startTestServer(db.url, 'risk-missing', { RISK_MODEL_PATH: missing })).rejects.toThrow(
      `duplicate-risk model ${missing}: no such file`,
    );
  });

  it('a server process says in its start-up log which mode its model is in', async () => {
    // Found from outside: a server in shadow mode logged only "duplicate-risk model loaded" and a version.
    const env = testEnvironment(db.url, 'risk-mode-log', {
      RISK_MODEL_PATH: modelPath,
      RISK_MODEL_WATCH_MS: '0',
      RISK_MODE: 'shadow',
    });
    const serverProcess = await spawnServerProcess(env);
    try {
      await waitUntil('the model to be loaded', async () =>
        serverProcess.logs.some((line) => line['msg'] === 'duplicate-risk model loaded'),
      );
      expect(serverProcess.logs.find((line) => line['msg'] === 'duplicate-risk model loaded')).toMatchObject({
        path: modelPath,
        mode: 'shadow',
      });
    } finally {
      serverProcess.child.kill('SIGTERM');
      await serverProcess.exited;
      await deleteRedisPrefix(loadConfig(env).redisKeyPrefix);
    }
  });

  it('a server process swaps its model on SIGHUP (file watching off) and scores with the new one', async () => {
    // Runs dist/src/main.js: `npm run build` first.
    const env = testEnvironment(db.url, 'risk-sighup', {
      RISK_MODEL_PATH: modelPath,
      RISK_MODEL_WATCH_MS: '0',
      RISK_FEATURES_TIMEOUT_MS: '1000',
    });
    const config = loadConfig(env);
    const serverProcess = await spawnServerProcess(env);
    try {
      const who = `sighup-${randomUUID().slice(0, 8)}`;
      const send = async () => {
        const token = await signViewerToken({ customerId: who, role: 'customer' }, config.jwtSecret);
        const query =
          'mutation($key: String!, $input: CreateOrderInput!) { createOrder(idempotencyKey: $key, input: $input) { __typename } }';
        const response = await postGraphQL<{ createOrder: { __typename: string } }>(
          serverProcess.url,
          query,
          { key: `key-${randomUUID()}`, input: cart },
          { token },
        );
        return response.body.data?.createOrder.__typename;
      };
      expect(await send()).toBe('OrderCreated');
      expect(await send()).toBe('PossibleDuplicate');

      await install(trusting);
      serverProcess.child.kill('SIGHUP');
      await waitUntil('the new model to be loaded', async () =>
        serverProcess.logs.some(
          (line) => line['msg'] === 'duplicate-risk model loaded' && line['version'] === trusting.modelVersion,
        ),
      );
      expect(await send()).toBe('OrderCreated');
      expect(serverProcess.child.exitCode).toBeNull();
    } finally {
      serverProcess.child.kill('SIGTERM');
      await serverProcess.exited;
      await deleteRedisPrefix(config.redisKeyPrefix);
    }
  });
});
