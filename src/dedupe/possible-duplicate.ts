import type { Prisma } from '../db/prisma';
import type { Order } from '../orders/order.type';
import { compareOrders } from './order-matcher';
import type { MatchableOrder, OrderMatch } from './order-matcher';
import type { ShippingAddress } from './shipping-address';

/** A recent equivalent order found for a new one. */
export interface PossibleDuplicateMatch {
  candidate: Order;
  match: OrderMatch;
}

/** The new order, as just inserted in the placement transaction. */
export interface NewOrderFacts extends MatchableOrder {
  id: string;
  semanticFingerprint: string;
}

/**
 * Looks for the customer's most recent equivalent order within the window, inside the placement
 * transaction and after the new order's row is in. It first takes a transaction-scoped advisory
 * lock on the customer: two equivalent orders sent at once with different keys are serialised
 * here, so the second one sees the first one's committed row (READ COMMITTED takes a fresh
 * snapshot per statement) instead of both finding nothing.
 */
export async function findPossibleDuplicate(
  tx: Prisma.TransactionClient,
  order: NewOrderFacts,
  windowMs: number,
): Promise<PossibleDuplicateMatch | null> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${order.customerId}))::text`;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Order"
    WHERE "customerId" = ${order.customerId} AND "semanticFingerprint" = ${order.semanticFingerprint}
      AND "id" <> ${order.id}::uuid AND "status" <> 'CANCELLED'
      AND "createdAt" >= now() - ${windowMs} * interval '1 millisecond'
    ORDER BY "createdAt" DESC LIMIT 1`;
  const candidateId = rows[0]?.id;
  if (!candidateId) return null;
  const candidate = await tx.order.findUniqueOrThrow({ where: { id: candidateId }, include: { items: true } });
  return { candidate, match: compareOrders(order, matchableOf(candidate), windowMs) };
}

/** What the matcher reads of a stored order with its items. */
export function matchableOf(order: Pick<Order, 'customerId' | 'currency' | 'createdAt' | 'shippingAddress'> & { items: MatchableOrder['lines'] }): MatchableOrder {
  return {
    customerId: order.customerId,
    currency: order.currency,
    lines: order.items,
    shippingAddress: (order.shippingAddress as ShippingAddress | null | undefined) ?? null,
    createdAt: order.createdAt,
  };
}
