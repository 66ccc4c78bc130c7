export { newKey, tally } from '../support/order-client';
import { postGraphQL } from '../support/graphql-client';
import { CREATE_ORDER, ISSUE_ORDER_TOKEN } from '../support/operations';
import type { TestDatabase } from '../support/database';
import type { ServerAccess } from '../support/server';

export type OrderResult = {
  __typename: string;
  detectedBy?: string;
  retryAfterMs?: number;
  message?: string;
  order?: { id: string };
  originalOrder?: { id: string };
};

export async function issueToken(server: ServerAccess, bearer: string): Promise<{ token: string; expiresAt: string }> {
  const response = await postGraphQL<{ issueOrderToken: { token: string; expiresAt: string } }>(
    server.url,
    ISSUE_ORDER_TOKEN,
    {},
    { token: bearer },
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.issueOrderToken;
}

export async function orderWithToken(
  server: ServerAccess,
  bearer: string,
  key: string,
  input: object,
): Promise<OrderResult> {
  const response = await postGraphQL<{ createOrder: OrderResult }>(
    server.url,
    CREATE_ORDER,
    { key, input },
    { token: bearer },
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.createOrder;
}

/** The orders in the database that consumed this token (by the token's id). */
export function ordersWithToken(db: TestDatabase, token: string): Promise<{ id: string; idempotencyKey: string }[]> {
  return db.query('SELECT "id", "idempotencyKey" FROM "Order" WHERE "orderTokenId" = $1', [token.split('.')[1]]);
}
