import { randomUUID } from 'node:crypto';
import type { Product } from '../catalog/product.type';
import { auditRecordOf, insertAuditRecordsSql } from '../audit/audit-record';
import type { SemanticDuplicatePolicy } from '../config/semantic-duplicate-policy';
import { Prisma } from '../db/prisma';
import type { SqlRunner } from '../db/sql-runner';
import { rollBack } from '../db/transactions';
import type { RolledBack } from '../db/transactions';
import { cartSignature } from '../dedupe/cart-signature';
import { candidatesSql, compareCandidates, customerLockSql } from '../dedupe/possible-duplicate';
import type { CandidateRow, ComparedCandidate, NewOrderFacts } from '../dedupe/possible-duplicate';
import type { ClaimState } from 'graphql-idempotency';
import { CREATE_ORDER } from '../idempotency/order-decision-event';
import type { SemanticMatch } from '../idempotency/order-decision-event';
import { verdictAudit } from './duplicate-decision';
import type { DecideDuplicate, DuplicateVerdict } from './duplicate-decision';
import { hasHeldOrdersToSettleSql, holdOrder, settleHeldOrdersSql } from './held/held-order';
import type { HeldDecision } from './held/held-order';
import type { OrderRequest } from './order-request';
import { OrderStatus } from './order.type';
import type { Order } from './order.type';
import { priceLines, productsAfterReservation } from './order-pricing';
import { ValidationFailed } from './results/validation-failed.type';
import type { InsufficientStock } from './results/insufficient-stock.type';

const MAX_TOTAL_CENTS = 2_147_483_647;

/** Everything one order transaction writes, decided before it starts. */
export interface OrderWrite {
  customerId: string;
  idempotencyKey: string;
  fingerprint: string;
  request: OrderRequest;
  /** The one-time token this order consumes, if any. */
  orderTokenId: string | null;
  policy: SemanticDuplicatePolicy;
  /** How far back the lookup fetches candidates (ms): the window of today's rule, or a model's lookback. */
  windowMs: number;
  /**
   * What a candidate means (duplicate-decision.ts): CPU only. A promise while it waits for the risk
   * features sent when placement started; awaited only when the lookup finds a candidate.
   */
  decide: DecideDuplicate | Promise<DecideDuplicate>;
  /** The client confirmed a held possible duplicate. */
  confirmed: boolean;
  /** The order's name in its door, unique per channel (`source` '' and no `externalId` for GraphQL and REST orders). */
  external?: { source: string; externalId: string } | null;
  /**
   * What the order's audit record needs to say, written in the same transaction; `operation` the
   * mutation that placed it (default createOrder, every door's).
   */
  audit: { requestId: string; claim: ClaimState; startedAt: number; operation?: string };
  /** An admin's release of a held order (src/orders/held): the held row it settles, and who acted. */
  release?: { heldOrderId: string; adminId: string };
}

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
  /** Held as a possible duplicate: no order, a HeldOrder row instead (committed with its audit record). */
  | ({ kind: 'held'; verdict: DuplicateVerdict & { candidate: ComparedCandidate } } & HeldDecision);

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

/** What the last statement answers: the locked catalog rows, and how many of them it reserved from. */
interface ReservedRow {
  /** As locked, before the reservation. */
  products: Product[] | null;
  reserved: number;
}

/**
 * The order transaction, in as few round trips as its decisions allow (the server runs it in a
 * transaction on the pool; the benchmark's raw-SQL floor runs this same function on a bare pg
 * client). The products' rows are locked last, so that on a hot product every order holds its
 * row for one statement and the COMMIT, nothing more:
 *
 * 1. Insert the order row (ON CONFLICT DO NOTHING, no target: the key's, the token's and the
 *    external identity's unique indexes all stop a repeat, which waits here for the first request
 *    to commit or roll back, and then touches nothing). With a semantic policy the customer's lock
 *    is taken first, in the same statement.
 * 2. With a semantic policy: the customer's recent same-cart orders (after the lock), judged by
 *    `write.decide` (today's rule, or a model's score) when there are any, and in the same statement
 *    whether it has held orders to settle (their statement is sent only then). No product is locked yet.
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
  const [inserted] = await sql.query<{ createdAt: Date }>(insertOrder(orderId, signature, write));
  if (!inserted) return { kind: 'existing' };
  const createdAt = new Date(inserted.createdAt);

  // After the key check (a retry of this key is a DuplicateDetected, never a possible duplicate).
  const looked =
    write.policy === 'OFF'
      ? null
      : await judgeCandidates(sql, { id: orderId, customerId, cartSignature: signature, ...request, createdAt }, write);
  let verdict = looked?.verdict ?? null;
  let possible = verdict && verdict.action !== 'PASS' ? verdict.candidate : null;
  if (verdict?.action === 'HOLD' && possible && !write.confirmed) {
    const held = await holdOrder(sql, orderId, write, { ...verdict, candidate: possible });
    if (held) return { kind: 'held', verdict: { ...verdict, candidate: possible }, ...held };
    // The candidate was cancelled since the lookup: nothing to hold against, the order is a new one.
    verdict = null;
    possible = null;
  }
  const semanticMatch: SemanticMatch | undefined = possible ? (write.confirmed ? 'confirmed' : 'flagged') : undefined;

  const order: Order = {
    id: orderId,
    customerId,
    idempotencyKey: write.idempotencyKey,
    fingerprint: write.fingerprint,
    orderTokenId: write.orderTokenId,
    status: OrderStatus.CONFIRMED,
    channel: request.channel,
    currency: request.currency,
    totalCents: 0,
    createdAt,
    shippingAddress: request.shippingAddress ?? null,
    possibleDuplicateOfId: possible?.candidateId ?? null,
    mergedIntoId: null,
  };
  // Held orders this one settles, under the customer's lock and before the products' (see
  // settleHeldOrdersSql), only when the lookup saw some (or for a release). In the hot statement
  // below it held a flash sale's row longer (create-hot ÷ raw-hot 0.42 without it, 0.31 with it,
  // one run each at 32 connections); a refusal after it rolls it back with the rest (or to a
  // release's savepoint).
  const settles = write.release !== undefined || looked?.heldToSettle === true;
  if (settles) await sql.query(settleHeldOrdersSql(write, order.id));
  // The last statement commits with it (one round trip, and the hot rows' locks end inside
  // PostgreSQL) when this transaction is ours to end and a refusal would undo everything: the
  // statement then deletes the order row itself, and held orders settled before it would stay.
  const last =
    options.endsTransaction && !settles && sql.queryAndCommit ? sql.queryAndCommit.bind(sql) : sql.query.bind(sql);
  const [locked] = await last<ReservedRow>(lockReserveAndComplete(order, request, write, semanticMatch, verdict));
  // Checked against the rows as locked; on a refusal the statement reserved nothing and deleted the order row.
  const items = priceLines(orderId, request, locked?.products ?? []);
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

/**
 * The lookup, and the decision on what it found (null when it found nothing: nothing to decide).
 * The same statement asks whether the order has held orders to settle (one round trip for both).
 */
async function judgeCandidates(
  sql: SqlRunner,
  order: NewOrderFacts,
  write: OrderWrite,
): Promise<{ verdict: DuplicateVerdict | null; heldToSettle: boolean }> {
  const rows = await sql.query<Nullable<CandidateRow> & { heldToSettle: boolean }>(Prisma.sql`
    SELECT held."heldToSettle", candidate.*
    FROM (SELECT ${hasHeldOrdersToSettleSql(write)} AS "heldToSettle") AS held
    LEFT JOIN LATERAL (${candidatesSql(order, write.windowMs)}) AS candidate ON true
    ORDER BY candidate."createdAt" DESC`);
  const heldToSettle = rows[0]?.heldToSettle === true;
  // No candidate: one row, its candidate columns null.
  const candidates = rows.filter((row): row is CandidateRow & { heldToSettle: boolean } => row.id !== null);
  if (candidates.length === 0) return { verdict: null, heldToSettle };
  const decide = await write.decide;
  return { verdict: decide(compareCandidates(order, candidates, write.windowMs)), heldToSettle };
}

type Nullable<T> = { [Field in keyof T]: T[Field] | null };

function insertOrder(orderId: string, signature: string, write: OrderWrite): Prisma.Sql {
  const { customerId, idempotencyKey, fingerprint, request, orderTokenId, external } = write;
  const address = request.shippingAddress ? JSON.stringify(request.shippingAddress) : null;
  const lock =
    write.policy === 'OFF' ? Prisma.empty : Prisma.sql`FROM (SELECT ${customerLockSql(customerId)}) AS "customerLock"`;
  return Prisma.sql`
    INSERT INTO "Order" ("id", "customerId", "idempotencyKey", "fingerprint", "orderTokenId", "status", "channel", "currency", "totalCents",
                         "cartSignature", "shippingAddress", "source", "externalId", "updatedAt")
    SELECT ${orderId}::uuid, ${customerId}, ${idempotencyKey}, ${fingerprint}, ${orderTokenId}, 'CONFIRMED',
           ${request.channel}::"SalesChannel", ${request.currency}, 0, ${signature}, ${address}::jsonb,
           ${external?.source ?? ''}, ${external?.externalId ?? null}, now()
    ${lock}
    ON CONFLICT DO NOTHING
    RETURNING "createdAt"`;
}

/**
 * Locks the products in SKU order and, when every line fits (known, in the currency, in stock under
 * the lock, a total within an int), reserves, inserts the items at the locked prices, sets the
 * total and writes the audit record; when one does not, deletes the order row. The verdict is an aggregate over all locked rows, so every
 * lock is taken (in SKU order) before any row is written.
 */
function lockReserveAndComplete(
  order: Order,
  request: OrderRequest,
  write: OrderWrite,
  semanticMatch: SemanticMatch | undefined,
  verdict: DuplicateVerdict | null,
): Prisma.Sql {
  const record = auditRecordOf(
    {
      decision: 'created',
      semanticMatch,
      claim: write.audit.claim,
      customerId: order.customerId,
      key: order.idempotencyKey,
      fingerprint: order.fingerprint,
      resourceId: order.id,
      relatedResourceId: order.possibleDuplicateOfId ?? undefined,
      channel: order.channel,
      recorded: true,
      latencyMs: performance.now() - write.audit.startedAt,
      at: new Date(),
      operation: write.audit.operation ?? CREATE_ORDER,
      ...verdictAudit(verdict),
    },
    { requestId: write.audit.requestId },
  );
  const skus = request.lines.map((line) => line.sku);
  return Prisma.sql`
    WITH locked AS (
      SELECT "id", "sku", "name", "priceCents", "currency", "stock" FROM "Product"
      WHERE "sku" = ANY(${skus}::text[])
      ORDER BY "sku" FOR UPDATE
    ), priced AS (
      SELECT l.sku, l.quantity, p."id" AS product_id, p."priceCents" AS unit_price,
             p."currency" = ${request.currency} AND p."stock" >= l.quantity AS fits
      FROM unnest(${skus}::text[], ${request.lines.map((line) => line.quantity)}::int[]) AS l(sku, quantity)
      JOIN locked p ON p."sku" = l.sku
    ), verdict AS (
      SELECT count(*) = ${skus.length} AND coalesce(bool_and(fits), false)
               AND coalesce(sum(quantity::bigint * unit_price), 0) <= ${MAX_TOTAL_CENTS} AS ok,
             coalesce(sum(quantity::bigint * unit_price), 0) AS total
      FROM priced
    ), reserved AS (
      UPDATE "Product" AS p SET "stock" = p."stock" - v.quantity, "updatedAt" = now()
      FROM priced v
      WHERE p."id" = v.product_id AND p."stock" >= v.quantity AND (SELECT ok FROM verdict)
      RETURNING p."id"
    ), items AS (
      INSERT INTO "OrderItem" ("id", "orderId", "sku", "productId", "quantity", "unitPriceCents")
      SELECT gen_random_uuid(), ${order.id}::uuid, v.sku, v.product_id, v.quantity, v.unit_price
      FROM priced v WHERE (SELECT ok FROM verdict)
    ), total AS (
      UPDATE "Order" SET "totalCents" = (SELECT CASE WHEN ok THEN total::int END FROM verdict), "possibleDuplicateOfId" = ${order.possibleDuplicateOfId}::uuid
      WHERE "id" = ${order.id}::uuid AND (SELECT ok FROM verdict)
    ), refused AS (
      -- A refusal leaves nothing behind, even when this statement commits (see writeOrder).
      DELETE FROM "Order" WHERE "id" = ${order.id}::uuid AND NOT (SELECT ok FROM verdict)
    ), audit AS (
      ${insertAuditRecordsSql([record], Prisma.sql`(SELECT ok FROM verdict)`)}
    )
    SELECT (SELECT json_agg(locked) FROM locked) AS "products", (SELECT count(*)::int FROM reserved) AS "reserved"`;
}
