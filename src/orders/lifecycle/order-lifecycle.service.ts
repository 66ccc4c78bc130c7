import { Prisma } from '../../db/prisma';
import { MAX_INT4 } from '../../db/int-range';
import type { SqlRunner } from '../../db/sql-runner';
import type { Transactions } from '../../db/transactions';
import type { GuardedAttempt } from 'graphql-idempotency';
import type { Logger } from '../../observability/logger';
import type { StoreCallPolicy } from '../../stores/store-call';
import { callStore } from '../../stores/store-call';
import { announceOrderChanges } from '../order-changes';
import type { OrderReplays } from '../order-replays';
import type { Order } from '../order.type';
import { DetectionSource } from '../results/detection-source.type';
import { fieldPath } from '../../request/field-path';
import { keyReused } from './key-reused';
import { ValidationFailed } from '../results/validation-failed.type';
import { findChange, insertChange, lifecycleAuditSql } from './applied-change';
import type { ChangeFields, LifecycleDecision, PreparedChange } from './applied-change';
import { auditOutcomeOf, refundedCentsOf, repeatOrReused } from './change-answers';
import type {
  CancelOrderResult,
  ChangeShippingAddressResult,
  RefundOrderResult,
} from './results/lifecycle-results.union';
import { OrderAlreadyCancelled } from './results/order-already-cancelled.type';
import { OrderCancelled } from './results/order-cancelled.type';
import { OrderNotFound } from './results/order-not-found.type';
import { OrderNotOpen } from './results/order-not-open.type';
import { sortedRefundLines } from './refund-record';
import { OrderRefunded } from './results/order-refunded.type';
import { RefundExceedsPaid } from './results/refund-exceeds-paid.type';
import { ShippingAddressChanged } from './results/shipping-address-changed.type';

/** What each mutation asks for, as its policy parsed it (plain JSON: it is fingerprinted). */
export type CancelRequest = { orderId: string; reason: string };
export type RefundRequest = {
  orderId: string;
  /** Exactly one of the two. */
  amountCents: number | null;
  /** In the caller's order (a refusal names a line by its place); the record keeps them sorted. */
  lines: { sku: string; quantity: number }[] | null;
};
export type AddressRequest = { orderId: string; address: { [field: string]: string } };

/** An order a cancelOrder cancelled: what the risk counters trained on cancellations need. */
export interface CancelledOrder {
  id: string;
  customerId: string;
  channel: string;
  /** The source within the channel (a marketplace, a store), null when none. */
  salesSource: string | null;
  /**
   * It had a candidate when it was placed: it was created as a possible duplicate (flagged, or
   * confirmed), or an earlier order of its customer with the same cart, not cancelled by then, was
   * placed within `candidateWindowMs` before it. Cancelling such an order confirms it a duplicate.
   */
  hadCandidate: boolean;
}

/** Options of the lifecycle service. */
export interface OrderLifecycleOptions {
  /** Budget and failure report of the claim-store calls that forget createOrder's replays. */
  storeCalls: StoreCallPolicy;
  /** Told, once committed, of each cancellation (fire-and-forget; the risk counters listen). */
  onCancelled?: (order: CancelledOrder) => void;
  /** How far back a cancelled order's candidate is looked for (ms): the risk model's lookback. Default 1 hour. */
  candidateWindowMs?: number;
  /** Whether each change is announced to the other instances and regions: announcesOrderChanges(mode). */
  announceChanges: boolean;
  logger: Logger;
}

/** What one lifecycle transaction decided: its answer, and the order whose replays went stale. */
interface Decided<TResult> {
  result: TResult;
  changed?: Order;
  /** A cancellation: whether the order had a candidate (read in the transaction, when someone listens). */
  hadCandidate?: boolean;
}

const DEFAULT_CANDIDATE_WINDOW_MS = 3_600_000;

/**
 * cancelOrder, refundOrder and changeShippingAddress. Each is one transaction that locks the order
 * row first (so every change of one order, and every refund's sum, is serialised by PostgreSQL),
 * then asks the unique (actor, operation, key) index, then changes, and writes its audit row in the
 * same transaction. Each change (a refund too: Order.refunds) also rewrites the order's createOrder
 * claim without the stored replay, before the change and again after it commits (as merges do; see
 * OrderReplays), and announces the change to the other regions in its transaction (order-changes.ts;
 * not in the embedded mode, which has no other instance).
 */
export class OrderLifecycleService {
  constructor(
    private readonly transactions: Transactions,
    private readonly replays: OrderReplays,
    private readonly options: OrderLifecycleOptions,
  ) {}

  async cancel(attempt: GuardedAttempt<PreparedChange<CancelRequest>>): Promise<CancelOrderResult> {
    const { prepared } = attempt;
    const decided = await this.decide<CancelOrderResult>(attempt, prepared.request.orderId, async (sql, order) => {
      if (order.status === 'CANCELLED') return { result: new OrderAlreadyCancelled(order) };
      await this.forget(order);
      const full = await lockProductsToRestock(sql, order);
      if (full) return { result: full };
      const change = await insertChange(sql, prepared, { orderId: order.id, reason: prepared.request.reason });
      if (!change) return { result: keyReused(prepared) };
      await sql.query(Prisma.sql`
        UPDATE "Product" p SET "stock" = p."stock" + i."quantity", "updatedAt" = now()
        FROM (SELECT "productId", sum("quantity")::int AS "quantity" FROM "OrderItem"
              WHERE "orderId" = ${order.id}::uuid GROUP BY "productId") i
        -- Only what the order took comes back: imported history took no stock.
        WHERE p."id" = i."productId" AND (SELECT "stockTaken" FROM "Order" WHERE "id" = ${order.id}::uuid)`);
      const cancelled = await updateOrder(sql, order.id, Prisma.sql`"status" = 'CANCELLED'`);
      const hadCandidate = this.options.onCancelled ? await this.hadCandidate(sql, order) : false;
      return { result: new OrderCancelled(cancelled, change, null), changed: cancelled, hadCandidate };
    });
    if (decided.result instanceof OrderCancelled && decided.changed)
      this.announceCancelled(decided.changed, decided.hadCandidate === true);
    return decided.result;
  }

  async refund(attempt: GuardedAttempt<PreparedChange<RefundRequest>>): Promise<RefundOrderResult> {
    const { prepared } = attempt;
    const { result } = await this.decide<RefundOrderResult>(attempt, prepared.request.orderId, async (sql, order) => {
      const amount = await amountOf(sql, order, prepared.request);
      if (typeof amount !== 'number') return { result: amount };
      const refunded = await refundedCentsOf(sql, order.id);
      if (refunded + amount > order.totalCents) return { result: new RefundExceedsPaid(order, refunded, amount) };
      // The order's fields stay, but Order.refunds and refundedCents change: a stored replay would hide the refund.
      await this.forget(order);
      const fields: ChangeFields = { orderId: order.id, amountCents: amount };
      if (prepared.request.lines) fields.details = { lines: sortedRefundLines(prepared.request.lines) };
      const change = await insertChange(sql, prepared, fields);
      if (!change) return { result: keyReused(prepared) };
      return { result: new OrderRefunded(order, change, refunded + amount, null), changed: order };
    });
    return result;
  }

  async changeAddress(attempt: GuardedAttempt<PreparedChange<AddressRequest>>): Promise<ChangeShippingAddressResult> {
    const { prepared } = attempt;
    const { address } = prepared.request;
    const decided = await this.decide<ChangeShippingAddressResult>(
      attempt,
      prepared.request.orderId,
      async (sql, order) => {
        if (order.status === 'CANCELLED') return { result: new OrderNotOpen(order) };
        await this.forget(order);
        const change = await insertChange(sql, prepared, { orderId: order.id, details: { ...address } });
        if (!change) return { result: keyReused(prepared) };
        const json = JSON.stringify(address);
        const changed = await updateOrder(sql, order.id, Prisma.sql`"shippingAddress" = ${json}::jsonb`);
        return { result: new ShippingAddressChanged(changed, change, null), changed };
      },
    );
    return decided.result;
  }

  /**
   * The shared frame: lock the caller's order (an admin's: any order), answer a committed key from
   * the database, else let `change` decide; audit the decision in the same transaction; after the
   * commit, forget the changed order's replays again.
   */
  private async decide<TResult>(
    attempt: GuardedAttempt<PreparedChange<{ orderId: string }>>,
    orderId: string,
    change: (sql: SqlRunner, order: Order) => Promise<Decided<TResult>>,
  ): Promise<Decided<TResult>> {
    const { prepared } = attempt;
    const decided = await this.transactions.run(async (sql): Promise<Decided<TResult>> => {
      const order = await lockOrder(sql, orderId, prepared.actor.role === 'admin' ? null : prepared.actor.customerId);
      if (!order)
        return this.audited(sql, attempt, { outcome: 'rejected' }, { result: new OrderNotFound(orderId) as TResult });
      const existing = await findChange(sql, prepared);
      if (existing) {
        const refundedCents = existing.operation === 'refundOrder' ? await refundedCentsOf(sql, order.id) : 0;
        const repeat = repeatOrReused(prepared, existing, { order, refundedCents }, DetectionSource.DATABASE);
        const decision = { outcome: auditOutcomeOf(repeat), orderId, channel: order.channel };
        return this.audited(sql, attempt, decision, { result: repeat as TResult });
      }
      const made = await change(sql, order);
      // Every instance of every region hears of it once it commits, and forgets its replay there
      // (servers mode: the embedded one has no other instance, nor a listener to prune notices).
      if (made.changed && this.options.announceChanges) await sql.query(announceOrderChanges([made.changed.id]));
      const decision = { outcome: auditOutcomeOf(made.result), orderId, channel: order.channel };
      return this.audited(sql, attempt, decision, made);
    });
    if (decided.changed) await this.forget(decided.changed);
    return decided;
  }

  private async audited<T>(
    sql: SqlRunner,
    attempt: GuardedAttempt<PreparedChange>,
    decision: LifecycleDecision,
    decided: T,
  ): Promise<T> {
    await sql.query(lifecycleAuditSql(attempt, decision));
    return decided;
  }

  /**
   * Rewrites the order's createOrder claim without its replay, within the store's budget. The
   * database is the arbiter, so an unreachable store does not stop the change (unlike a merge,
   * an offline batch that can wait): it is reported, and a replay it kept lives at most the
   * claim's retention (docs/order-lifecycle.md).
   */
  private async forget(order: Order): Promise<void> {
    await callStore(this.options.storeCalls, 'forget-replay', () => this.replays.forget([order]));
  }

  /**
   * Whether the order had a candidate when placed (see CancelledOrder.hadCandidate): as the risk
   * model's training finds one, with the live lookup's blocking (the same cart signature).
   */
  private async hadCandidate(sql: SqlRunner, order: Order): Promise<boolean> {
    if (order.possibleDuplicateOfId) return true;
    const windowMs = this.options.candidateWindowMs ?? DEFAULT_CANDIDATE_WINDOW_MS;
    const [row] = await sql.query<{ found: boolean }>(Prisma.sql`
      SELECT EXISTS (
        SELECT 1 FROM "Order" o, "Order" e
        WHERE o."id" = ${order.id}::uuid AND e."customerId" = o."customerId" AND e."cartSignature" = o."cartSignature"
          AND e."id" <> o."id" AND e."createdAt" <= o."createdAt"
          AND e."createdAt" >= o."createdAt" - ${windowMs} * interval '1 millisecond'
          AND (e."status" <> 'CANCELLED' OR e."updatedAt" > o."createdAt")
      ) AS "found"`);
    return row?.found === true;
  }

  private announceCancelled(order: Order, hadCandidate: boolean): void {
    try {
      this.options.onCancelled?.({
        id: order.id,
        customerId: order.customerId,
        channel: order.channel,
        salesSource: (order as { source?: string }).source || null,
        hadCandidate,
      });
    } catch (error) {
      this.options.logger.error({ err: error }, 'cancellation listener failed');
    }
  }
}

/** The order row, locked; null when it does not exist or (for a customer) is not theirs. */
async function lockOrder(sql: SqlRunner, orderId: string, customerId: string | null): Promise<Order | null> {
  const owner = customerId === null ? Prisma.empty : Prisma.sql`AND "customerId" = ${customerId}`;
  const [order] = await sql.query<Order>(Prisma.sql`
    SELECT * FROM "Order" WHERE "id" = ${orderId}::uuid ${owner} FOR UPDATE`);
  return order ?? null;
}

async function updateOrder(sql: SqlRunner, orderId: string, set: Prisma.Sql): Promise<Order> {
  const [order] = await sql.query<Order>(Prisma.sql`
    UPDATE "Order" SET ${set}, "updatedAt" = now() WHERE "id" = ${orderId}::uuid RETURNING *`);
  return order;
}

/** The refund's cents: as given, or the lines at their ordered prices (each line at most what was ordered). */
async function amountOf(sql: SqlRunner, order: Order, request: RefundRequest): Promise<number | ValidationFailed> {
  if (request.amountCents !== null) return request.amountCents;
  const items = await sql.query<{ sku: string; quantity: number; unitPriceCents: number }>(Prisma.sql`
    SELECT "sku", "quantity", "unitPriceCents" FROM "OrderItem" WHERE "orderId" = ${order.id}::uuid`);
  let cents = 0;
  for (const [index, line] of (request.lines ?? []).entries()) {
    const item = items.find((candidate) => candidate.sku === line.sku);
    if (!item) return new ValidationFailed(fieldPath(['lines', index, 'sku']), `The order has no line ${line.sku}.`);
    if (line.quantity > item.quantity)
      return new ValidationFailed(
        fieldPath(['lines', index, 'quantity']),
        `The order has ${item.quantity} of ${line.sku}.`,
      );
    cents += line.quantity * item.unitPriceCents;
  }
  // Lines of free products alone are worth nothing: a refund is more than 0 cents (the table's CHECK).
  return cents > 0 ? cents : new ValidationFailed('lines', 'These lines are worth 0 cents: a refund is more than 0.');
}

/**
 * Locks the products the order took stock from, in SKU order; a refusal when returning that stock
 * would take one past what a product holds (an int4), else null. Nothing is written either way.
 */
async function lockProductsToRestock(sql: SqlRunner, order: Order): Promise<ValidationFailed | null> {
  const products = await sql.query<{ sku: string; stock: number; quantity: number; stockTaken: boolean }>(Prisma.sql`
    SELECT p."sku", p."stock", i."quantity", (SELECT "stockTaken" FROM "Order" WHERE "id" = ${order.id}::uuid) AS "stockTaken"
    FROM "Product" p
    JOIN (SELECT "productId", sum("quantity")::int AS "quantity" FROM "OrderItem"
          WHERE "orderId" = ${order.id}::uuid GROUP BY "productId") i ON i."productId" = p."id"
    ORDER BY p."sku" FOR UPDATE OF p`);
  const full = products.find((product) => product.stockTaken && product.stock + product.quantity > MAX_INT4);
  if (!full) return null;
  return new ValidationFailed(
    'orderId',
    `Returning ${full.quantity} × ${full.sku} would take its stock past ${MAX_INT4}: lower the stock (adjustInventory), then cancel again with the same key.`,
  );
}
