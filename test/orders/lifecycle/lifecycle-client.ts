import {
  AdjustInventoryDocument,
  CancelOrderDocument,
  ChangeShippingAddressDocument,
  DismissHeldOrderDocument,
  RefundOrderDocument,
  ReleaseHeldOrderDocument,
} from '../../../src/client/generated';
import type { TypedDocumentString } from '../../../src/client/generated';
import { seedProducts } from '../../support/catalog';
import type { TestDatabase } from '../../support/database';
import { postOperation } from '../../support/graphql-client';
import { createOrder, newKey } from '../../support/order-client';
import type { ServerAccess } from '../../support/server';

/** The answer of one lifecycle mutation: its member, and the fields the tests read. */
export interface LifecycleAnswer {
  __typename: string;
  detectedBy?: string | null;
  order?: { id: string; status: string } | null;
  [field: string]: unknown;
}

/**
 * One lifecycle mutation of the SDK's documents (src/client/operations, what SDK users send) as a
 * call: it returns the answer; a GraphQL error or a failed request throws (a storm retries it).
 */
function lifecycleCall<
  Field extends string,
  Data extends Record<Field, LifecycleAnswer>,
  Variables extends Record<string, unknown>,
>(document: TypedDocumentString<Data, Variables>, field: Field) {
  return async (url: string, token: string, variables: Variables): Promise<LifecycleAnswer> => {
    const response = await postOperation(url, document, variables, { token });
    const answer = response.body.data?.[field];
    if (response.body.errors || !answer)
      throw new Error(`${field}: HTTP ${response.status} ${JSON.stringify(response.body.errors ?? null)}`);
    return answer;
  };
}

export const cancelOrder = lifecycleCall(CancelOrderDocument, 'cancelOrder');
export const refundOrder = lifecycleCall(RefundOrderDocument, 'refundOrder');
export const changeShippingAddress = lifecycleCall(ChangeShippingAddressDocument, 'changeShippingAddress');
export const adjustInventory = lifecycleCall(AdjustInventoryDocument, 'adjustInventory');
export const releaseHeldOrder = lifecycleCall(ReleaseHeldOrderDocument, 'releaseHeldOrder');
export const dismissHeldOrder = lifecycleCall(DismissHeldOrderDocument, 'dismissHeldOrder');

/** `OrderCancelled`, `OrderCancelled/CACHE`, …: the member, with the layer for a repeat. */
export function labelOf(answer: LifecycleAnswer): string {
  return answer.detectedBy ? `${answer.__typename}/${answer.detectedBy}` : answer.__typename;
}

/**
 * Retries a lifecycle call as a well-behaved client does (same key): after RequestInProgress's
 * hint, and at once-ish after a failed request (a dead connection, a 5xx), within a budget. The
 * budget outlives the claim's lease (IDEMPOTENCY_LEASE_MS, 30 s): on a loaded machine a refusal's
 * claim release can time out, and its key then answers RequestInProgress until the lease ends.
 */
export async function untilAnswered(call: () => Promise<LifecycleAnswer>, budgetMs = 60_000): Promise<LifecycleAnswer> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    const answer = await call().catch((error: Error) => error);
    if (!(answer instanceof Error) && answer.__typename !== 'RequestInProgress') return answer;
    if (Date.now() > deadline) throw answer instanceof Error ? answer : new Error('still in progress');
    const pauseMs = answer instanceof Error ? 50 : Number(answer['retryAfterMs'] ?? 50);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

/** Places `count` orders of `quantity` × `sku` (one customer each, so no possible-duplicate holds) and returns their ids. */
export async function placeOrders(
  server: ServerAccess,
  sku: string,
  count: number,
  quantity: number,
  customerOf: (index: number) => string,
): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const answer = await createOrder(server, { customerId: customerOf(index) }, newKey('place'), {
      currency: 'EUR',
      items: [{ sku, quantity }],
    });
    if (answer.__typename !== 'OrderCreated') throw new Error(`placing failed: ${answer.__typename}`);
    ids.push(answer.order.id);
  }
  return ids;
}

/** A fresh product with this stock. */
export async function seedProduct(db: TestDatabase, sku: string, stock: number, priceCents = 1_000): Promise<void> {
  await seedProducts(db.url, [{ sku, priceCents, stock }]);
}

export async function stockOf(db: TestDatabase, sku: string): Promise<number> {
  const [row] = await db.query<{ stock: number }>('SELECT "stock" FROM "Product" WHERE "sku" = $1', [sku]);
  return row.stock;
}

/** Applied changes of one operation on these orders (or this product), by order. */
export async function changesOf(db: TestDatabase, operation: string, orderIds: readonly string[]) {
  return db.query<{ orderId: string; idempotencyKey: string; amountCents: number | null }>(
    `SELECT "orderId", "idempotencyKey", "amountCents" FROM "AppliedChange" WHERE "operation" = $1 AND "orderId" = ANY($2::uuid[])`,
    [operation, orderIds],
  );
}
