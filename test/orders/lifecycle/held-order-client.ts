import { postGraphQL } from '../../support/graphql-client';
import { newKey } from '../../support/order-client';
import type { TestDatabase } from '../../support/database';
import type { TestServer } from '../../support/server';

/** createOrder with what a hold shows (the held order's id). */
const CREATE_ORDER = `
  mutation CreateOrder($key: String!, $input: CreateOrderInput!) {
    createOrder(idempotencyKey: $key, input: $input) {
      __typename
      ... on OrderCreated { order { id idempotencyKey possibleDuplicateOfId } }
      ... on DuplicateDetected { detectedBy originalOrder { id idempotencyKey status } }
      ... on PossibleDuplicate { heldOrderId candidate { id } }
      ... on InsufficientStock { sku available }
    }
  }
`;

export interface PlacedAnswer {
  __typename: string;
  order?: { id: string; idempotencyKey: string; possibleDuplicateOfId: string | null };
  originalOrder?: { id: string; idempotencyKey: string; status: string };
  heldOrderId?: string | null;
  candidate?: { id: string };
}

/** One createOrder of `quantity` × `sku` for the customer; a GraphQL error fails the test. */
export async function placeOrder(
  server: TestServer,
  customerId: string,
  key: string,
  sku: string,
  quantity: number,
  extra: Record<string, unknown> = {},
): Promise<PlacedAnswer> {
  const input = { currency: 'EUR', items: [{ sku, quantity }], ...extra };
  const response = await postGraphQL<{ createOrder: PlacedAnswer }>(
    server.url,
    CREATE_ORDER,
    { key, input },
    { token: await server.tokenFor(customerId) },
  );
  if (response.body.errors) throw new Error(`createOrder failed: ${JSON.stringify(response.body.errors)}`);
  return response.body.data!.createOrder;
}

/** A held order: the customer's first order, then the same cart (and `extra`: an address) under a new key (held by HOLD). */
export async function holdOne(
  server: TestServer,
  customerId: string,
  sku: string,
  quantity = 2,
  extra: Record<string, unknown> = {},
): Promise<{ candidateId: string; heldOrderId: string; heldKey: string }> {
  const first = await placeOrder(server, customerId, newKey('first'), sku, quantity, extra);
  if (first.__typename !== 'OrderCreated') throw new Error(`first order: ${first.__typename}`);
  const heldKey = newKey('held');
  const held = await placeOrder(server, customerId, heldKey, sku, quantity, extra);
  if (held.__typename !== 'PossibleDuplicate' || !held.heldOrderId) throw new Error(`not held: ${held.__typename}`);
  return { candidateId: first.order!.id, heldOrderId: held.heldOrderId, heldKey };
}

export type HeldRow = {
  status: string;
  orderId: string | null;
  resolvedBy: string | null;
  idempotencyKey: string;
  channel: string;
  source: string;
  externalId: string | null;
  candidateOrderId: string;
  request: { currency: string; lines: { sku: string; quantity: number }[] };
};

export async function heldRow(db: TestDatabase, heldOrderId: string): Promise<HeldRow> {
  const [row] = await db.query<HeldRow>(
    `SELECT "status", "orderId"::text, "resolvedBy", "idempotencyKey", "channel"::text, "source", "externalId",
            "candidateOrderId"::text, "request" FROM "HeldOrder" WHERE "id" = $1::uuid`,
    [heldOrderId],
  );
  return row;
}

/** The orders a customer holds under a key (0 or 1: the unique index). */
export async function ordersUnderKey(db: TestDatabase, customerId: string, key: string): Promise<{ id: string }[]> {
  return db.query<{ id: string }>(`SELECT "id"::text FROM "Order" WHERE "customerId" = $1 AND "idempotencyKey" = $2`, [
    customerId,
    key,
  ]);
}

/** AppliedChange rows of one operation on a held order. */
export async function heldChanges(db: TestDatabase, operation: string, heldOrderId: string) {
  return db.query<{ actorId: string; idempotencyKey: string }>(
    `SELECT "actorId", "idempotencyKey" FROM "AppliedChange" WHERE "operation" = $1 AND "heldOrderId" = $2::uuid`,
    [operation, heldOrderId],
  );
}
