import type { Product } from '../../catalog/product.type';
import { Prisma } from '../../db/prisma';
import type { PrismaClient } from '../../db/prisma';
import { prismaRunner } from '../../db/sql-runner';
import type { SqlRunner } from '../../db/sql-runner';
import type { Order } from '../order.type';
import type { DetectionSource } from '../results/detection-source.type';
import { IdempotencyKeyReused } from '../results/idempotency-key-reused.type';
import { keyReused } from './key-reused';
import type { AppliedChange, LifecycleDecision, PreparedChange } from './applied-change';
import { ChangeApplied } from './results/change-applied.type';
import type { LifecycleOperation } from './operation-scope';
import { InventoryAdjusted } from './results/inventory-adjusted.type';
import { OrderCancelled } from './results/order-cancelled.type';
import { OrderRefunded } from './results/order-refunded.type';
import { ShippingAddressChanged } from './results/shipping-address-changed.type';
import { findHeldOrder } from '../held/held-order-resolution';
import type { HeldOrderRow } from '../held/held-order';
import { HeldOrderDismissed } from '../held/results/held-order-dismissed.type';
import { HeldOrderReleased } from '../held/results/held-order-released.type';

/** What a change's answer shows besides the change: its order (with the refunds so far), its product or its held order. */
export interface ChangeSubject {
  order?: Order;
  refundedCents?: number;
  product?: Product;
  heldOrder?: HeldOrderRow;
}

/** The answer a change stands for: the first request's member; with `detectedBy` on a repeat. */
export function answerOfChange(change: AppliedChange, subject: ChangeSubject, detectedBy: DetectionSource | null) {
  const { order, product, heldOrder } = subject;
  if (change.operation === 'adjustInventory' && product) return new InventoryAdjusted(product, change, detectedBy);
  if (change.operation === 'dismissHeldOrder' && heldOrder)
    return new HeldOrderDismissed(heldOrder, change, detectedBy);
  if (!order) return null;
  switch (change.operation) {
    case 'cancelOrder':
      return new OrderCancelled(order, change, detectedBy);
    case 'refundOrder':
      return new OrderRefunded(order, change, subject.refundedCents ?? 0, detectedBy);
    case 'changeShippingAddress':
      return new ShippingAddressChanged(order, change, detectedBy);
    case 'releaseHeldOrder':
      return heldOrder ? new HeldOrderReleased(heldOrder, order, change, detectedBy) : null;
    default:
      return null;
  }
}

/**
 * A key's committed change found inside a transaction: the first answer for the same request,
 * IdempotencyKeyReused for another one (the database's word, after the claim store's).
 */
export function repeatOrReused(
  prepared: PreparedChange,
  change: AppliedChange,
  subject: ChangeSubject,
  detectedBy: DetectionSource,
) {
  if (change.fingerprint !== prepared.fingerprint) return keyReused(prepared);
  return answerOfChange(change, subject, detectedBy);
}

/** The audit outcome of a lifecycle answer: a change made, repeated, or nothing changed. */
export function auditOutcomeOf(result: unknown): LifecycleDecision['outcome'] {
  if (result instanceof ChangeApplied) return result.detectedBy ? 'duplicate' : 'created';
  return result instanceof IdempotencyKeyReused ? 'reused' : 'rejected';
}

/** Everything refunded on an order (cents). */
export async function refundedCentsOf(sql: SqlRunner, orderId: string): Promise<number> {
  const [row] = await sql.query<{ cents: number }>(Prisma.sql`
    SELECT COALESCE(sum("amountCents"), 0)::int AS "cents" FROM "AppliedChange"
    WHERE "orderId" = ${orderId}::uuid AND "operation" = 'refundOrder'`);
  return row?.cents ?? 0;
}

/** Reads for the guard: the key's committed change, and a repeat's answer built from it. */
export class ChangeAnswers {
  constructor(private readonly prisma: PrismaClient) {}

  find(actorId: string, operation: LifecycleOperation, idempotencyKey: string): Promise<AppliedChange | null> {
    return this.prisma.appliedChange.findUnique({
      where: { actorId_operation_idempotencyKey: { actorId, operation, idempotencyKey } },
    }) as Promise<AppliedChange | null>;
  }

  /** The answer for a repeat of a change, showing its order or product as it is now. */
  async repeat(changeId: string, detectedBy: DetectionSource) {
    const change = (await this.prisma.appliedChange.findUnique({ where: { id: changeId } })) as AppliedChange | null;
    if (!change) return null;
    if (change.heldOrderId) {
      const subject = await heldSubjectOf(prismaRunner(this.prisma), change.heldOrderId);
      return subject && answerOfChange(change, subject, detectedBy);
    }
    if (change.productId && change.operation === 'adjustInventory') {
      const product = await this.prisma.product.findUnique({ where: { id: change.productId } });
      return product && answerOfChange(change, { product }, detectedBy);
    }
    if (!change.orderId) return null;
    const order = await this.prisma.order.findUnique({ where: { id: change.orderId } });
    if (!order) return null;
    const refundedCents =
      change.operation === 'refundOrder' ? await refundedCentsOf(prismaRunner(this.prisma), order.id) : 0;
    return answerOfChange(change, { order, refundedCents }, detectedBy);
  }
}

/** What a held order's change shows: the held order as it is now, and the order it was released as (if any). */
export async function heldSubjectOf(sql: SqlRunner, heldOrderId: string): Promise<ChangeSubject | null> {
  const heldOrder = await findHeldOrder(sql, heldOrderId);
  if (!heldOrder) return null;
  if (!heldOrder.orderId) return { heldOrder };
  const [order] = await sql.query<Order>(Prisma.sql`SELECT * FROM "Order" WHERE "id" = ${heldOrder.orderId}::uuid`);
  return { heldOrder, ...(order ? { order } : {}) };
}
