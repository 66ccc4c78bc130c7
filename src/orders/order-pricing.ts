import type { Product } from '../catalog/product.type';
import type { OrderRequest } from './order-request';
import type { OrderItem } from './order.type';
import { InsufficientStock } from './results/insufficient-stock.type';
import { ValidationFailed } from './results/validation-failed.type';

/** Prices each line from the catalog rows as the order transaction locked them, or answers the first problem found. */
export function priceLines(
  orderId: string,
  request: OrderRequest,
  products: readonly Product[],
): OrderItem[] | InsufficientStock | ValidationFailed {
  const bySku = new Map(products.map((product) => [product.sku, product]));
  const items: OrderItem[] = [];
  for (const line of request.lines) {
    const product = bySku.get(line.sku);
    if (!product) return new ValidationFailed('items', `Unknown SKU ${line.sku}.`);
    if (product.currency !== request.currency)
      return new ValidationFailed('currency', `${line.sku} is sold in ${product.currency}, not ${request.currency}.`);
    if (product.stock < line.quantity) return new InsufficientStock(line.sku, line.quantity, product.stock);
    items.push({
      orderId,
      productId: product.id,
      sku: line.sku,
      quantity: line.quantity,
      unitPriceCents: product.priceCents,
    });
  }
  return items;
}

/**
 * The order's products as its commit leaves them: the locked rows with the reserved quantities
 * taken off. Read under the rows' locks, so as fresh as a read after the commit (which the order's
 * answer would otherwise make to show them).
 */
export function productsAfterReservation(products: readonly Product[], items: readonly OrderItem[]): Product[] {
  const reserved = new Map(items.map((item) => [item.productId, item.quantity]));
  return products.map((product) => ({ ...product, stock: product.stock - (reserved.get(product.id) ?? 0) }));
}
