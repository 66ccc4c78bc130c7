import { randomUUID } from 'node:crypto';
import { postGraphQL } from '../support/graphql-client';
import { CREATE_ORDER, ISSUE_ORDER_TOKEN } from '../support/operations';
import type { TestDatabase } from '../support/database';
import type { TestServer } from '../support/server';

export type OrderResult = {
  __typename: string;
  detectedBy?: string;
  retryAfterMs?: number;
  message?: string;
  order?: { id: string };
  originalOrder?: { id: string };
};

/** A fresh idempotency key. */
export const newKey = (): string => `key-${randomUUID()}`;

export async function issueToken(server: TestServer, bearer: string): Promise<{ token: string; expiresAt: string }> {
  const response = await postGraphQL<{ issueOrderToken: { token: string; expiresAt: string } }>(server.url, ISSUE_ORDER_TOKEN, {}, { token: bearer });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.issueOrderToken;
}

export async function orderWithToken(server: TestServer, bearer: string, key: string, input: object): Promise<OrderResult> {
  const response = await postGraphQL<{ createOrder: OrderResult }>(server.url, CREATE_ORDER, { key, input }, { token: bearer });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.createOrder;
}

/** Counts results by `__typename` (and `detectedBy` for duplicates). */
export function tally(results: OrderResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    const label = result.detectedBy ? `${result.__typename}/${result.detectedBy}` : result.__typename;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

/** The orders in the database that consumed this token (by the token's id). */
export function ordersWithToken(db: TestDatabase, token: string): Promise<{ id: string; idempotencyKey: string }[]> {
  return db.query('SELECT "id", "idempotencyKey" FROM "Order" WHERE "orderTokenId" = $1', [token.split('.')[1]]);
}
