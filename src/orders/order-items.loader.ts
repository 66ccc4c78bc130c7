import DataLoader from 'dataloader';
import type { OrderService } from './order.service';
import type { OrderItem } from './order.type';

/** Items by order id, batched per request: one query for a whole page of orders. */
export function createOrderItemsLoader(orders: OrderService): DataLoader<string, OrderItem[]> {
  return new DataLoader(async (orderIds) => {
    const byOrder = new Map<string, OrderItem[]>(orderIds.map((id) => [id, []]));
    for (const item of await orders.itemsOfOrders(orderIds)) byOrder.get(item.orderId)?.push(item);
    return orderIds.map((id) => byOrder.get(id) ?? []);
  });
}
