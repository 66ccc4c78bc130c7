import { randomUUID } from 'node:crypto';
import type { Product } from '../catalog/product.type';
import { Prisma } from '../db/prisma';
import type { SqlRunner } from '../db/sql-runner';
import { rollBack } from '../db/transactions';
import type { RolledBack, Transactions } from '../db/transactions';
import { cartSignature } from '../dedupe/cart-signature';
import type { SemanticMatch } from '../idempotency/order-decision-event';
import type { DuplicateVerdict } from './duplicate-decision';
import { retriesHeldRequest } from './held/retried-hold';
import { settleHeldOrders } from './held/held-order-settlement';
import type { OrderRequest } from './order-request';
import { OrderStatus } from './order.type';
import type { Order } from './order.type';
import { priceLines, productsAfterReservation } from './order-pricing';
import {
  MAX_TOTAL_CENTS,
  candidateLookupSql,
  insertOrderSql,
  insertStopsAtHeldRequests,
  lockReserveAndCompleteSql,
  looksUnderCustomerLock,
} from './order-statements';
import type { LookupRow, OrderDraft, OrderWrite, ReservedRow } from './order-statements';
import type { RecentCarts } from './recent-carts';
import { verdictOrHold } from './order-write-verdict';
import type { HeldOutcome } from './order-write-verdict';
import { ValidationFailed } from './results/validation-failed.type';
import type { InsufficientStock } from './results/insufficient-stock.type';

export type { OrderWrite };

export type WriteOutcome =
  | {
      kind: 'created';
      order: Order;
      /** The order's products as its commit leaves them (what its answer shows; the catalog cache keeps them). */
      products: Product[];
      semanticMatch?: SemanticMatch;
      /** The decision on its candidates, when there were any. */ verdict: DuplicateVerdict | null;
    }
  | { kind: 'existing' }
  /**
   * A confirmation that came after an admin released the held order it confirms: nothing placed,
   * the answer is the order the release placed (see heldOrdersConfirmed).
   */
  | { kind: 'released-before'; orderId: string }
  | HeldOutcome;

/**
 * An expected reason to create nothing (an unknown SKU, another currency, too little stock, a
 * total too large): the answer, returned with the order transaction to be rolled back (its order
 * row and audit record go). Transactions.run does that; a caller inside a larger transaction
 * (a release) rolls back to its savepoint.
 */
export type OrderRejection = RolledBack<{ kind: 'rejected'; answer: InsufficientStock | ValidationFailed }>;

function rejected(answer: InsufficientStock | ValidationFailed): OrderRejection {
  return rollBack({ kind: 'rejected', answer });
}

/** A quiet order's attempt found it was not quiet (writeOrderAtOnce): it wrote nothing; the full transaction decides. */
const NOT_QUIET = Symbol('not quiet');

/**
 * Places an order in its own transaction, as the servers do (and the benchmark's raw-SQL floor,
 * with the same code). Most orders are quiet: a new key, and nothing recent of the customer's with
 * the same cart, nothing held to settle. For them, one round trip does it all (writeOrderAtOnce);
 * an order that turns out not to be quiet wrote nothing there, and runs the full transaction
 * (writeOrder) in a fresh one. That attempt costs about as much as a create, so an order `recent`
 * says will not be quiet (its cart placed lately by this process, or a confirmation of a held one)
 * goes to the full transaction at once. Under policy OFF every order is tried so (without the
 * customer's lock, but for a confirmation); one whose insert stopped at a held request is asked
 * after whether it retries it.
 */
export async function runOrderTransaction(
  transactions: Transactions,
  write: OrderWrite,
  recent?: RecentCarts,
): Promise<WriteOutcome | OrderRejection['value']> {
  const signature = cartSignature(write.request);
  const likelyQuiet =
    write.policy === 'OFF' || !(write.confirmed || recent?.placedWithin(write.customerId, signature, write.windowMs));
  const atOnce = likelyQuiet
    ? await transactions.run((sql) => {
        const sendAndCommit = sql.queryEachAndCommit?.bind(sql);
        return sendAndCommit && write.release === undefined
          ? writeOrderAtOnce(sendAndCommit, write, signature)
          : writeOrder(sql, write, { endsTransaction: true });
      })
    : NOT_QUIET;
  const first =
    atOnce !== NOT_QUIET ? atOnce : await transactions.run((sql) => writeOrder(sql, write, { endsTransaction: true }));
  // An OFF order's insert stopped at a held request under its key or identity (the rare path): if
  // it is this request, it is held again under the customer's lock, as a semantic policy holds it.
  const outcome =
    first.kind === 'existing' &&
    insertStopsAtHeldRequests(write) &&
    (await transactions.run((sql) => retriesHeldRequest(sql, write)))
      ? await transactions.run((sql) =>
          writeOrder(sql, { ...write, retriesHeldRequest: true }, { endsTransaction: true }),
        )
      : first;
  if (outcome.kind === 'created' || outcome.kind === 'held') recent?.remember(write.customerId, signature);
  return outcome;
}

/**
 * A quiet order in one message, with COMMIT: insert the order row (with the customer's lock), then
 * the products' statement (see lockReserveAndCompleteSql), which asks for candidates in its own
 * snapshot, after the lock, and goes ahead only when it finds nothing. When it did not go ahead
 * for a candidate or a held order, it deleted the row: NOT_QUIET, and nothing was written.
 */
async function writeOrderAtOnce(
  sendAndCommit: NonNullable<SqlRunner['queryEachAndCommit']>,
  write: OrderWrite,
  signature: string,
): Promise<WriteOutcome | OrderRejection | typeof NOT_QUIET> {
  const draft = draftOf(randomUUID(), write, null);
  const [[inserted], [reserved]] = (await sendAndCommit([
    insertOrderSql(draft.id, signature, write),
    lockReserveAndCompleteSql(draft, write.request, write, undefined, null, { signature }),
  ])) as [{ createdAt: Date }[], ReservedRow[]];
  if (!inserted) return { kind: 'existing' };
  if (!reserved?.quiet) return NOT_QUIET;
  return completed({ ...draft, createdAt: new Date(inserted.createdAt) }, write.request, reserved, null, undefined);
}

/**
 * The order transaction, in as few round trips as its decisions allow (runOrderTransaction runs it
 * when an order is not quiet; a release runs it inside its own transaction). The products' rows
 * are locked last, so that on a hot product every order holds its row for one statement and the
 * COMMIT, nothing more:
 *
 * 1. Insert the order row (insertOrderSql). With a semantic policy the customer's lock is taken
 *    first, in the same statement (so too for a held request retried under OFF).
 * 2. With a semantic policy: the customer's recent same-cart orders (after the lock; in the first
 *    statement's round trip where the runner can send both), judged by `write.decide` (today's
 *    rule, or a model's score) when there are any, and the order held if the verdict says so
 *    (order-write-verdict.ts); in the same statement whether it has held orders to settle (their
 *    statement is sent only then). No product is locked yet. For a held request retried under
 *    OFF, the held orders alone (looksUnderCustomerLock).
 * 3. Lock the order's products in SKU order (a fixed order, so concurrent orders can never
 *    deadlock) and, in the same statement and only if every line is known, in the currency and in
 *    stock under that lock, reserve the stock, insert the items at the locked prices, set the total
 *    and write the audit record. The locked rows come back; the lines are checked against them.
 *
 * Rejections (unknown SKU, another currency, too little stock) are answers that roll the
 * transaction back (OrderRejection). A held possible duplicate is an outcome, not a rejection: the order row gives way to a
 * HeldOrder row (src/orders/held), committed with its audit record.
 */
export async function writeOrder(
  sql: SqlRunner,
  write: OrderWrite,
  options: { endsTransaction?: boolean } = {},
): Promise<WriteOutcome | OrderRejection> {
  const { customerId, request } = write;
  const orderId = randomUUID();
  const signature = cartSignature(request);
  // A statement of its own, so that it reads after the customer's lock the insert took.
  const lookup = looksUnderCustomerLock(write)
    ? candidateLookupSql({ id: orderId, customerId, cartSignature: signature }, write)
    : null;
  const [[inserted], found] = (
    lookup && sql.queryEach
      ? await sql.queryEach([insertOrderSql(orderId, signature, write), lookup])
      : [await sql.query(insertOrderSql(orderId, signature, write)), null]
  ) as [{ createdAt: Date }[], LookupRow[] | null];
  if (!inserted) return { kind: 'existing' };
  const createdAt = new Date(inserted.createdAt);

  // After the key check (a retry of this key is a DuplicateDetected, never a possible duplicate).
  const lookedUp = lookup ? (found ?? (await sql.query<LookupRow>(lookup))) : null;
  if (lookedUp?.[0]?.keyAnswered) {
    // Answered with another order by a transaction the customer's lock made us wait for (the
    // insert's snapshot could not see it): the key places nothing, its answer stands.
    await sql.query(Prisma.sql`DELETE FROM "Order" WHERE "id" = ${orderId}::uuid`);
    return { kind: 'existing' };
  }
  const facts = { id: orderId, customerId, cartSignature: signature, ...request, createdAt };
  const judged = await verdictOrHold(sql, facts, write, lookedUp);
  if (judged.kind === 'held') return judged;
  const { verdict } = judged;
  const possible = verdict && verdict.action !== 'PASS' ? verdict.candidate : null;
  const semanticMatch: SemanticMatch | undefined = possible ? (write.confirmed ? 'confirmed' : 'flagged') : undefined;
  const order: Order = { ...draftOf(orderId, write, possible?.candidateId ?? null), createdAt };
  // Held orders this one settles, under the customer's lock and before the products' (see
  // settleHeldOrdersSql), only when the lookup saw some (or for a release). In the hot statement
  // below it held a flash sale's row longer (create-hot ÷ raw-hot 0.42 without it, 0.31 with it,
  // one run each at 32 connections); a refusal after it rolls it back with the rest (or to a
  // release's savepoint).
  const settles = write.release !== undefined || lookedUp?.[0]?.heldToSettle === true;
  const releasedOrderId = settles ? await settleHeldOrders(sql, write, order) : null;
  if (releasedOrderId !== null) return { kind: 'released-before', orderId: releasedOrderId };
  // The last statement commits with it (one round trip, and the hot rows' locks end inside
  // PostgreSQL) when this transaction is ours to end and a refusal would undo everything: the
  // statement then deletes the order row itself, and held orders settled before it would stay.
  const statement = lockReserveAndCompleteSql(order, request, write, semanticMatch, verdict);
  const [locked] = (
    options.endsTransaction && !settles && sql.queryEachAndCommit
      ? (await sql.queryEachAndCommit([statement]))[0]
      : await sql.query(statement)
  ) as ReservedRow[];
  return completed(order, request, locked, verdict, semanticMatch);
}

/** The order row as the transaction writes it, before the database gives it its createdAt. */
function draftOf(orderId: string, write: OrderWrite, possibleDuplicateOfId: string | null): OrderDraft {
  const { request } = write;
  return {
    id: orderId,
    customerId: write.customerId,
    idempotencyKey: write.idempotencyKey,
    fingerprint: write.fingerprint,
    orderTokenId: write.orderTokenId,
    status: OrderStatus.CONFIRMED,
    channel: request.channel,
    currency: request.currency,
    totalCents: 0,
    shippingAddress: request.shippingAddress ?? null,
    possibleDuplicateOfId,
    mergedIntoId: null,
  };
}

/**
 * The outcome, checked against the products as the statement locked them: on a refusal it
 * reserved nothing and deleted the order row, and the answer says why.
 */
function completed(
  order: Order,
  request: OrderRequest,
  locked: ReservedRow | undefined,
  verdict: DuplicateVerdict | null,
  semanticMatch: SemanticMatch | undefined,
): WriteOutcome | OrderRejection {
  const items = priceLines(order.id, request, locked?.products ?? []);
  if (!Array.isArray(items)) return rejected(items);
  const totalCents = items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
  if (totalCents > MAX_TOTAL_CENTS) return rejected(new ValidationFailed('items', 'The order total is too large.'));
  if (locked?.reserved !== items.length) throw new Error('Stock changed under a held row lock.');
  return {
    kind: 'created',
    order: { ...order, totalCents, items },
    products: productsAfterReservation(locked?.products ?? [], items),
    verdict,
    ...(semanticMatch ? { semanticMatch } : {}),
  };
}
