import type { Prisma } from '../../db/prisma';
import { compareText } from '../order-request';
import type { AppliedChange } from './applied-change';
import type { Refund, RefundLine } from './results/refund.type';

/**
 * A refund's lines in SKU order (code points, the same under every locale): the order its
 * fingerprint and its record keep them in, whatever order the caller sent them in.
 */
export function sortedRefundLines<Line extends RefundLine>(lines: readonly Line[]): Line[] {
  return [...lines].sort((a, b) => compareText(a.sku, b.sku));
}

/** A refund as its AppliedChange row records it (a refund by lines keeps them in `details`). */
export function refundOf(
  change: Pick<AppliedChange, 'id' | 'orderId' | 'amountCents' | 'details' | 'createdAt'>,
): Refund {
  return {
    id: change.id,
    orderId: change.orderId ?? '',
    amountCents: change.amountCents ?? 0,
    lines: linesOf(change.details),
    createdAt: change.createdAt,
  };
}

function linesOf(details: Prisma.JsonValue | null): RefundLine[] | null {
  const lines = details !== null && typeof details === 'object' && !Array.isArray(details) ? details['lines'] : null;
  if (!Array.isArray(lines)) return null;
  return lines.map((line) => {
    const { sku, quantity } = line as { sku: string; quantity: number };
    return { sku, quantity };
  });
}
