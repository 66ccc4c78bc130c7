import DataLoader from 'dataloader';
import type { OrderRefundService } from './order-refund.service';
import type { Refund } from './results/refund.type';

/** Refunds by order id, batched per request: one query for a whole page of orders. */
export function createOrderRefundsLoader(refunds: OrderRefundService): DataLoader<string, Refund[]> {
  return new DataLoader(async (orderIds) => {
    const byOrder = new Map<string, Refund[]>(orderIds.map((id) => [id, []]));
    for (const refund of await refunds.refundsOfOrders(orderIds)) byOrder.get(refund.orderId)?.push(refund);
    return orderIds.map((id) => byOrder.get(id) ?? []);
  });
}
