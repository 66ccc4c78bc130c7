import { compareOrders } from '../dedupe/order-matcher';
import type { MatchableOrder } from '../dedupe/order-matcher';

/** An order of a report's group as the merge reads it under its row lock: what the matcher reads, and its id and status. */
export interface LockedOrder extends MatchableOrder {
  id: string;
  status: string;
}

/**
 * Why a report's group no longer stands as the scan saw it, or null when it does: its survivor was
 * cancelled (merging would cancel the duplicate too and leave the intent no order), or a duplicate
 * to merge no longer matches any earlier order of its group still standing (its address or cart
 * changed since the scan). The scan's window is not asked again: no order's time changes, and the
 * scan may have used another one (--window-ms).
 */
export function staleGroupReason(
  survivor: LockedOrder,
  toMerge: readonly LockedOrder[],
  group: readonly LockedOrder[],
): string | null {
  if (survivor.status === 'CANCELLED') return `its survivor ${survivor.id} was cancelled since the scan`;
  const standing = group.filter((order) => order.status !== 'CANCELLED');
  for (const duplicate of toMerge) {
    const earlier = standing.filter((order) => order.createdAt <= duplicate.createdAt && order.id !== duplicate.id);
    if (!earlier.some((order) => compareOrders(order, duplicate, Infinity).equivalent))
      return `${duplicate.id} no longer matches an earlier order of its group (changed since the scan)`;
  }
  return null;
}
