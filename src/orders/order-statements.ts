import { auditRecordOf, insertAuditRecordsSql } from '../audit/audit-record';
import type { Product } from '../catalog/product.type';
import type { SemanticDuplicatePolicy } from '../config/semantic-duplicate-policy';
import { Prisma } from '../db/prisma';
import { candidatesSql, customerLockSql, sameCartOrdersSql } from '../dedupe/possible-duplicate';
import type { CandidateRow, NewOrderFacts } from '../dedupe/possible-duplicate';
import { CREATE_ORDER } from '../idempotency/order-decision-event';
import type { SemanticMatch } from '../idempotency/order-decision-event';
import type { ClaimState } from 'graphql-idempotency';
import { verdictAudit } from './duplicate-decision';
import type { DecideDuplicate, DuplicateVerdict } from './duplicate-decision';
import { keyTakenSql } from './answered-keys';
import { retriedHoldLookupSql } from './held/retried-hold';
import type { HeldRelease, RetriedHold } from './held/held-order';
import { hasHeldOrdersToSettleSql } from './held/held-order-settlement';
import type { OrderRequest } from './order-request';
import type { Order } from './order.type';

/**
 * The statements of the order transaction (order-write.ts says in which order and why). Text and
 * values only: what they answer is read there.
 */

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
  release?: HeldRelease;
  /**
   * Under policy OFF, the request retries a held one (its key or door identity holds this very
   * request, found after the insert stopped at it: runOrderTransaction): the transaction takes the
   * customer's lock and looks for that held request, as under a semantic policy, but for no
   * candidate.
   */
  retriesHeldRequest?: boolean;
}

/**
 * Whether the transaction takes the customer's lock and asks the candidate lookup: with a semantic
 * policy, and under OFF for what concerns held orders alone: a held request retried, or a
 * confirmation (rare: the answer to a hold made before), which settles the held orders it confirms
 * so that a release does not place the intent twice. Any other OFF order takes neither (it is
 * cheaper), and its insert stops at a held request under its key (insertStopsAtHeldRequests).
 */
export function looksUnderCustomerLock(write: OrderWrite): boolean {
  return write.policy !== 'OFF' || write.confirmed || write.retriesHeldRequest === true;
}

/**
 * Whether the insert places nothing when the key (or the door's identity) holds a request, held or
 * dismissed, whatever its content: an OFF order, which looks for nothing under a lock. That costs
 * it nothing (the insert asks the same index whether the key holds other content); the rare order
 * it stops is then asked whether it retries that held request (runOrderTransaction), and held
 * again as under a semantic policy: a held key stands for its request whatever the policy says
 * now. A release (under the lock, its own held request under the key) never stops there.
 */
export function insertStopsAtHeldRequests(write: OrderWrite): boolean {
  return !looksUnderCustomerLock(write) && write.release === undefined;
}

/** The largest total an order may have (the column is an int). */
export const MAX_TOTAL_CENTS = 2_147_483_647;

/** An order as written before its items: everything but what the database gives it (createdAt). */
export type OrderDraft = Omit<Order, 'createdAt'>;

/** What the candidates' condition needs of the new order (sameCartOrdersSql). */
type CandidateFacts = Pick<NewOrderFacts, 'id' | 'customerId' | 'cartSignature'>;

/**
 * A row of the candidate lookup: whether held orders wait to be settled, the held request the order
 * retries, and a candidate (all null when none).
 */
export type LookupRow = Nullable<CandidateRow> & {
  heldToSettle: boolean;
  keyAnswered: boolean;
  retriedHold: RetriedHold | null;
};

type Nullable<T> = { [Field in keyof T]: T[Field] | null };

/** What the products' statement answers: the locked catalog rows, how many of them it reserved from, and whether the order was quiet. */
export interface ReservedRow {
  /** As locked, before the reservation; null when nothing was locked. */
  products: Product[] | null;
  reserved: number;
  /** False when the statement was sent only for a quiet order (see lockReserveAndCompleteSql) and this one was not: it wrote nothing. */
  quiet: boolean;
}

/**
 * Inserts the order row (ON CONFLICT DO NOTHING, no target: the key's, the token's and the
 * external identity's unique indexes all stop a repeat, which waits here for the first request to
 * commit or roll back, and then touches nothing), with a semantic policy after taking the
 * customer's lock in the same statement. Nothing either when the key stands for something else
 * (keyTakenSql), or under OFF holds a request (insertStopsAtHeldRequests).
 */
export function insertOrderSql(orderId: string, signature: string, write: OrderWrite): Prisma.Sql {
  const { customerId, idempotencyKey, fingerprint, request, orderTokenId, external } = write;
  const address = request.shippingAddress ? JSON.stringify(request.shippingAddress) : null;
  const lock = looksUnderCustomerLock(write)
    ? Prisma.sql`FROM (SELECT ${customerLockSql(customerId)}) AS "customerLock"`
    : Prisma.empty;
  const taken = keyTakenSql(write, insertStopsAtHeldRequests(write) ? 'any' : 'other-content');
  return Prisma.sql`
    INSERT INTO "Order" ("id", "customerId", "idempotencyKey", "fingerprint", "orderTokenId", "status", "channel", "currency", "totalCents",
                         "cartSignature", "shippingAddress", "source", "externalId", "updatedAt")
    SELECT ${orderId}::uuid, ${customerId}, ${idempotencyKey}, ${fingerprint}, ${orderTokenId}, 'CONFIRMED',
           ${request.channel}::"SalesChannel", ${request.currency}, 0, ${signature}, ${address}::jsonb,
           ${external?.source ?? ''}, ${external?.externalId ?? null}, now()
    ${lock}
    WHERE NOT ${taken}
    ON CONFLICT DO NOTHING
    RETURNING "createdAt"`;
}

/**
 * The customer's recent same-cart orders, and in the same statement whether the order has held
 * orders to settle and which held request it retries, if any (at least one row: the candidate's
 * columns null when there is none). The retried hold is asked only when there are held orders to
 * settle (it is one of them), so a quiet order pays nothing more. Under OFF (held orders alone:
 * looksUnderCustomerLock) no candidate: the join's literal false skips its subquery.
 */
export function candidateLookupSql(facts: CandidateFacts, write: OrderWrite): Prisma.Sql {
  const retried = write.confirmed ? Prisma.sql`NULL::json` : retriedHoldLookupSql(write);
  const candidates = write.policy === 'OFF' ? Prisma.sql`false` : Prisma.sql`true`;
  return Prisma.sql`
    SELECT held."heldToSettle", held."keyAnswered",
           CASE WHEN held."heldToSettle" THEN ${retried} END AS "retriedHold", candidate.*
    FROM (SELECT ${hasHeldOrdersToSettleSql(write)} AS "heldToSettle", ${keyTakenSql(write)} AS "keyAnswered") AS held
    LEFT JOIN LATERAL (${candidatesSql(facts, write.windowMs)}) AS candidate ON ${candidates}
    ORDER BY candidate."createdAt" DESC`;
}

/**
 * Locks the products in SKU order and, when every line fits (known, in the currency, in stock under
 * the lock, a total within an int), reserves, inserts the items at the locked prices, sets the
 * total and writes the audit record; when one does not, deletes the order row. The verdict is an
 * aggregate over all locked rows, so every lock is taken (in SKU order) before any row is written.
 *
 * `onlyIfQuiet`: the statement is sent before any lookup's answer was seen (order-write.ts,
 * writeOrderAtOnce). It then goes ahead only for a quiet order: its row was inserted (not a repeat
 * of its key) and, with a semantic policy, the customer has no candidate for it (the lookup's
 * condition, asked in this statement's own snapshot, after the customer's lock) and no held order
 * it settles. Otherwise it locks nothing and deletes the order row, as for a refusal, and answers
 * `quiet` false.
 */
export function lockReserveAndCompleteSql(
  order: OrderDraft,
  request: OrderRequest,
  write: OrderWrite,
  semanticMatch: SemanticMatch | undefined,
  verdict: DuplicateVerdict | null,
  onlyIfQuiet?: { signature: string },
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
      salesSource: write.external?.source,
      recorded: true,
      latencyMs: performance.now() - write.audit.startedAt,
      at: new Date(),
      operation: write.audit.operation ?? CREATE_ORDER,
      ...verdictAudit(verdict),
    },
    { requestId: write.audit.requestId },
  );
  const skus = request.lines.map((line) => line.sku);
  const quiet = onlyIfQuiet ? quietSql(order, write, onlyIfQuiet.signature) : Prisma.sql`true`;
  return Prisma.sql`
    WITH quiet AS (SELECT ${quiet} AS quiet), locked AS (
      SELECT "id", "sku", "name", "priceCents", "currency", "stock" FROM "Product"
      WHERE "sku" = ANY(${skus}::text[]) AND (SELECT quiet FROM quiet)
      ORDER BY "sku" FOR UPDATE
    ), priced AS (
      SELECT l.sku, l.quantity, p."id" AS product_id, p."priceCents" AS unit_price, p."stock" AS locked_stock,
             p."currency" = ${request.currency} AND p."stock" >= l.quantity AS fits
      FROM unnest(${skus}::text[], ${request.lines.map((line) => line.quantity)}::int[]) AS l(sku, quantity)
      JOIN locked p ON p."sku" = l.sku
    ), verdict AS (
      SELECT (SELECT quiet FROM quiet) AND count(*) = ${skus.length} AND coalesce(bool_and(fits), false)
               AND coalesce(sum(quantity::bigint * unit_price), 0) <= ${MAX_TOTAL_CENTS} AS ok,
             coalesce(sum(quantity::bigint * unit_price), 0) AS total
      FROM priced
    ), reserved AS (
      -- From the locked row, never p: p is the row as the snapshot of the statement saw it, before a
      -- restock that committed while the lock was awaited (0 then, 5 now): a condition on its stock
      -- drops the row, and its stock minus the quantity fails the CHECK before the row is read again.
      UPDATE "Product" AS p SET "stock" = v.locked_stock - v.quantity, "updatedAt" = now()
      FROM priced v
      WHERE p."id" = v.product_id AND (SELECT ok FROM verdict)
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
    SELECT (SELECT json_agg(locked) FROM locked) AS "products", (SELECT count(*)::int FROM reserved) AS "reserved",
           (SELECT quiet FROM quiet) AS "quiet"`;
}

/** Whether the order is quiet (see lockReserveAndCompleteSql). */
function quietSql(order: OrderDraft, write: OrderWrite, signature: string): Prisma.Sql {
  const inserted = Prisma.sql`EXISTS (SELECT 1 FROM "Order" WHERE "id" = ${order.id}::uuid)`;
  if (!looksUnderCustomerLock(write)) return inserted;
  const heldQuiet = Prisma.sql`${inserted} AND NOT ${hasHeldOrdersToSettleSql(write)} AND NOT ${keyTakenSql(write)}`;
  // Under OFF (a confirmation) held orders alone: no candidate is looked for.
  if (write.policy === 'OFF') return heldQuiet;
  const facts = { id: order.id, customerId: order.customerId, cartSignature: signature };
  return Prisma.sql`${heldQuiet}
        AND NOT EXISTS (SELECT 1 FROM "Order" o WHERE ${sameCartOrdersSql(facts, write.windowMs)})`;
}
