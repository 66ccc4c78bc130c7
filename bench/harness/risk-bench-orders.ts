import pg from 'pg';
import type { Client, Pool } from 'undici';
import { signViewerToken } from '../../src/auth/jwt';

/**
 * The orders the risk benches send (bench/risk-scoring.ts, bench/risk-redis-calls.ts): one cart,
 * one address, so a customer's second order is the candidate of its first, and what they read back.
 */

const CREATE =
  'mutation($key: String!, $input: CreateOrderInput!) { createOrder(idempotencyKey: $key, input: $input) { __typename ... on OrderCreated { order { id possibleDuplicateOfId } } } }';
const ADDRESS = { line1: '12 Baker Street', city: 'London', postalCode: 'NW1 6XE', country: 'GB' };
const CART = { currency: 'EUR', items: [{ sku: 'RISK-BENCH-1', quantity: 1 }], shippingAddress: ADDRESS };

/** A customer's token for a server signed with `jwtSecret`. */
export function customerToken(customerId: string, jwtSecret: string): Promise<string> {
  return signViewerToken({ customerId, role: 'customer' }, jwtSecret, { expiresIn: '2h' });
}

/** One createOrder of the bench's cart under `key`; the response body. */
export async function postCreate(client: Client | Pool, token: string, key: string): Promise<string> {
  const response = await client.request({
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: CREATE, variables: { key, input: CART } }),
  });
  return response.body.text();
}

/** Throws unless the answer is an OrderCreated, flagged against a candidate exactly when one is expected. */
export function expectCreated(answer: string, hasCandidate: boolean, customer: string): void {
  const flagged = /"possibleDuplicateOfId":"[0-9a-f-]{36}"/.test(answer);
  if (!answer.includes('"OrderCreated"') || flagged !== hasCandidate)
    throw new Error(`unexpected answer for ${customer}: ${answer}`);
}

/** The server's CPU time so far (user + system, seconds), from its process metrics. */
export async function cpuSecondsOf(serverUrl: string): Promise<number> {
  const text = await (await fetch(`${serverUrl}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith('process_cpu_seconds_total '));
  if (!line) throw new Error('the server exports no process_cpu_seconds_total');
  return Number(line.split(' ')[1]);
}

/** The bench's one product, with stock that never runs out. */
export async function seedProduct(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "Product" ("id", "sku", "name", "priceCents", "currency", "stock", "updatedAt") VALUES (gen_random_uuid(), 'RISK-BENCH-1', 'Bench tea', 100, 'EUR', 1000000000, now())`,
    );
  } finally {
    await client.end();
  }
}
