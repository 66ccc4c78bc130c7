import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createApp } from '../../src/app/create-app';
import type { App } from '../../src/app/create-app';
import { signViewerToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import type { Config } from '../../src/config/config';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { postGraphQL } from '../support/graphql-client';
import { request } from '../support/http';
import { post, signDelivery } from '../support/channels';
import { CREATE_ORDER } from '../support/operations';
import { deleteRedisPrefix } from '../support/redis';
import { testEnvironment } from '../support/server';
import { tally } from '../support/order-client';

type Result = { createOrder: { __typename: string; detectedBy?: string } };
type LogLine = Record<string, unknown>;

// SEMANTIC_DUPLICATE_POLICY=OFF: this suite sends one customer's same cart under many new keys, which
// the live semantic check would hold as PossibleDuplicate; that behaviour is tested in test/dedupe.
const WEBHOOK_SECRET = 'metrics-test-acme-webhook-secret';
let db: TestDatabase;
let config: Config;
let app: App;
let url: string;
const logLines: LogLine[] = [];

beforeAll(async () => {
  db = await createTestDatabase('metrics');
  await seedProducts(db.url, [{ sku: 'MET-1', priceCents: 120, stock: 1_000 }]);
  // A generous Redis timeout: on a busy machine a 50 ms claim may time out and take the database
  // path (claim="unavailable"), which is right but would make the claim labels vary from run to run.
  config = loadConfig(
    testEnvironment(db.url, 'metrics', {
      SEMANTIC_DUPLICATE_POLICY: 'OFF',
      LOG_LEVEL: 'info',
      REDIS_TIMEOUT_MS: '5000',
      MARKETPLACE_WEBHOOK_SECRETS: `acme=${WEBHOOK_SECRET}`,
    }),
  );
  // The real server, logging into memory so that the test can read its lines.
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as LogLine) });
  app = await createApp(config, logger);
  ({ url } = await app.start());
});

afterAll(async () => {
  await app?.stop();
  await deleteRedisPrefix(config.redisKeyPrefix);
  await db?.drop();
});

/** Prometheus text format → `name{labels}` → value (samples only). */
function parseScrape(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

describe('after a small storm', () => {
  it("/metrics shows exactly the decisions the clients saw, and every request's duration", async () => {
    const token = await signViewerToken({ customerId: 'pia', role: 'customer' }, config.jwtSecret);
    const input = { currency: 'EUR', items: [{ sku: 'MET-1', quantity: 1 }] };
    const [keyA, keyB] = [`met-${randomUUID()}`, `met-${randomUUID()}`];
    const send = (key: string, body = input) => postGraphQL<Result>(url, CREATE_ORDER, { key, input: body }, { token });
    const storm = await Promise.all([
      ...Array.from({ length: 12 }, () => send(keyA)),
      ...Array.from({ length: 6 }, () => send(keyB)),
    ]);
    const others = [
      await send(keyA, { ...input, items: [{ sku: 'MET-1', quantity: 2 }] }), // same key, other payload
      await send(`met-${randomUUID()}`, { ...input, items: [{ sku: 'NOPE-1', quantity: 1 }] }), // unknown SKU
      await send('short'), // malformed key
    ];
    const responses = [...storm, ...others];
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
    const seen = tally(responses.map((response) => response.body.data!.createOrder));
    expect(seen['OrderCreated']).toBe(2);
    expect([seen['IdempotencyKeyReused'], seen['ValidationFailed'], seen['InvalidIdempotencyKey']]).toEqual([1, 1, 1]);

    const scrape = await request(url, '/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parseScrape(scrape.text);
    const decision = (labels: string) => samples.get(`order_gate_idempotency_decisions_total{${labels}}`) ?? 0;

    expect(decision('decision="created",source="",claim="claimed"')).toBe(2);
    expect(decision('decision="duplicate",source="CACHE",claim="held"')).toBe(seen['DuplicateDetected/CACHE'] ?? 0);
    expect(decision('decision="duplicate",source="DATABASE",claim="held"')).toBe(
      seen['DuplicateDetected/DATABASE'] ?? 0,
    );
    expect(decision('decision="in_progress",source="",claim="held"')).toBe(seen['RequestInProgress'] ?? 0);
    expect(decision('decision="reused",source="",claim="held"')).toBe(1);
    expect(decision('decision="rejected",source="",claim="claimed"')).toBe(1); // the SKU is checked in the transaction, after the claim
    expect(decision('decision="invalid_key",source="",claim="none"')).toBe(1);
    const allDecisions = [...samples].filter(([name]) => name.startsWith('order_gate_idempotency_decisions_total{'));
    expect(allDecisions.reduce((sum, [, value]) => sum + value, 0)).toBe(21);

    expect(samples.get('order_gate_order_creation_seconds_count')).toBe(2);
    expect(samples.get('order_gate_duplicate_detection_seconds_count{source="CACHE"}') ?? 0).toBe(
      seen['DuplicateDetected/CACHE'] ?? 0,
    );
    expect(samples.get('order_gate_duplicate_detection_seconds_count{source="DATABASE"}') ?? 0).toBe(
      seen['DuplicateDetected/DATABASE'] ?? 0,
    );
    for (const operation of ['claim', 'complete', 'release', 'remember']) {
      expect(samples.get(`order_gate_claim_store_fallbacks_total{operation="${operation}"}`)).toBe(0);
    }
    expect(samples.get('order_gate_rate_limited_orders_total')).toBe(0);
    expect(samples.get('order_gate_rate_limiter_failures_total')).toBe(0);
    expect(samples.get('order_gate_http_request_seconds_count{route="/graphql",method="POST",status="200"}')).toBe(21);
    expect(
      samples.get('order_gate_http_request_seconds_bucket{le="+Inf",route="/graphql",method="POST",status="200"}'),
    ).toBe(21);
    expect(samples.has('process_cpu_seconds_total')).toBe(true);

    console.log(
      `/metrics after a storm of 18 (12 × key A, 6 × key B) + 3 others; clients saw ${JSON.stringify(seen)}:\n` +
        scrape.text
          .split('\n')
          .filter((line) =>
            /^order_gate_(idempotency_decisions_total|claim_store_fallbacks_total|rate_limit|order_creation_seconds_(count|sum)|duplicate_detection_seconds_(count|sum)|http_request_seconds_(count|sum))/.test(
              line,
            ),
          )
          .join('\n'),
    );
  });
});

describe('logs', () => {
  it('writes one JSON line per HTTP request with request id, operation, customer, status and duration', async () => {
    const token = await signViewerToken({ customerId: 'quentin', role: 'customer' }, config.jwtSecret);
    const key = `log-${randomUUID()}`;
    const response = await postGraphQL<Result>(
      url,
      CREATE_ORDER,
      { key, input: { currency: 'EUR', items: [{ sku: 'MET-1', quantity: 1 }] } },
      {
        token,
        headers: { 'x-request-id': 'log-test-request-1' },
      },
    );
    expect(response.headers['x-request-id']).toBe('log-test-request-1');
    const mine = logLines.filter((line) => line['requestId'] === 'log-test-request-1');
    expect(mine.map((line) => line['msg'])).toEqual(['idempotency decision', 'http request']);
    expect(mine[1]).toEqual({
      level: 30,
      time: expect.any(Number),
      pid: expect.any(Number),
      hostname: expect.any(String),
      requestId: 'log-test-request-1',
      method: 'POST',
      route: '/graphql',
      status: 200,
      durationMs: expect.any(Number),
      operationName: 'CreateOrder',
      customerId: 'quentin',
      msg: 'http request',
    });
    expect(mine[0]).toMatchObject({
      decision: 'created',
      claim: 'claimed',
      customerId: 'quentin',
      idempotencyKey: key,
      latencyMs: expect.any(Number),
    });
  });
});

describe('logs of the lifecycle mutations', () => {
  // Before, only createOrder's decisions were logged, while docs/architecture.md promised a line for every decision.
  it('writes the same idempotency decision line for a lifecycle mutation and its repeat', async () => {
    const token = await signViewerToken({ customerId: 'lifecycle-admin', role: 'admin' }, config.jwtSecret);
    const key = `adjust-${randomUUID()}`;
    const mutation = `mutation { adjustInventory(sku: "MET-1", delta: 1, idempotencyKey: "${key}", reason: "recount") { __typename } }`;
    for (const requestId of ['log-adjust-1', 'log-adjust-2']) {
      const response = await postGraphQL(url, mutation, {}, { token, headers: { 'x-request-id': requestId } });
      expect(response.body.errors).toBeUndefined();
    }
    const decisions = logLines.filter(
      (line) => String(line['requestId']).startsWith('log-adjust-') && line['msg'] === 'idempotency decision',
    );
    expect(decisions.map((line) => [line['requestId'], line['operation'], line['decision'], line['source']])).toEqual([
      ['log-adjust-1', 'adjustInventory', 'created', undefined],
      ['log-adjust-2', 'adjustInventory', 'duplicate', 'CACHE'],
    ]);
  });
});

describe('a refused webhook delivery', () => {
  it('tells the sender only the code, and the log why: an unknown source, or a signature that does not match', async () => {
    const body = JSON.stringify({ orderId: 'MKT-LOG-1', customerId: 'lola', currency: 'EUR', items: [] });
    const signed = signDelivery(WEBHOOK_SECRET, body);
    const deliver = async (source: string, headers: Record<string, string>, requestId: string) => {
      const answer = await post(url, `/channels/marketplace/${source}/orders`, body, {
        ...headers,
        'x-request-id': requestId,
      });
      return { answer, logged: logLines.filter((line) => line['requestId'] === requestId && line['level'] === 40) };
    };

    const unknown = await deliver('acmee', signed, 'log-webhook-unknown-source');
    const forged = await deliver('acme', signDelivery('a-guessed-secret-of-an-attacker', body), 'log-webhook-forged');
    // The sender cannot tell the two apart (nobody can list the sources)...
    for (const { answer } of [unknown, forged])
      expect([answer.status, answer.json['code'], answer.json['detail']]).toEqual([
        401,
        'BAD_SIGNATURE',
        'The signature does not match the body and timestamp.',
      ]);
    // ...the operator can.
    expect(unknown.logged).toEqual([
      expect.objectContaining({
        source: 'acmee',
        code: 'BAD_SIGNATURE',
        sourceConfigured: false,
        msg: 'marketplace delivery refused: the source "acmee" has no secret in MARKETPLACE_WEBHOOK_SECRETS',
      }),
    ]);
    expect(forged.logged).toEqual([
      expect.objectContaining({
        source: 'acme',
        code: 'BAD_SIGNATURE',
        sourceConfigured: true,
        msg: 'marketplace delivery refused: The signature does not match the body and timestamp.',
      }),
    ]);
  });
});
