import { createUnionType } from 'type-graphql';
import { KEYED } from './keyed-answers';
import { InventoryAdjusted } from './inventory-adjusted.type';
import { OrderAlreadyCancelled } from './order-already-cancelled.type';
import { OrderCancelled } from './order-cancelled.type';
import { OrderNotFound } from './order-not-found.type';
import { OrderNotOpen } from './order-not-open.type';
import { OrderRefunded } from './order-refunded.type';
import { ProductNotFound } from './product-not-found.type';
import { RefundExceedsPaid } from './refund-exceeds-paid.type';
import { ShippingAddressChanged } from './shipping-address-changed.type';
import { StockWouldGoNegative } from './stock-would-go-negative.type';
import type { DismissHeldOrderResult, ReleaseHeldOrderResult } from '../../held/results/held-order-results.union';

export const CancelOrderResult = createUnionType({
  name: 'CancelOrderResult',
  description: 'What cancelOrder did: OrderCancelled (detectedBy set on a repeat), or why nothing changed.',
  types: () => [OrderCancelled, OrderAlreadyCancelled, OrderNotFound, ...KEYED] as const,
});
export type CancelOrderResult = typeof CancelOrderResult;

export const RefundOrderResult = createUnionType({
  name: 'RefundOrderResult',
  description: 'What refundOrder did: OrderRefunded (detectedBy set on a repeat), or why nothing changed.',
  types: () => [OrderRefunded, RefundExceedsPaid, OrderNotFound, ...KEYED] as const,
});
export type RefundOrderResult = typeof RefundOrderResult;

export const ChangeShippingAddressResult = createUnionType({
  name: 'ChangeShippingAddressResult',
  description:
    'What changeShippingAddress did: ShippingAddressChanged (detectedBy set on a repeat), or why nothing changed.',
  types: () => [ShippingAddressChanged, OrderNotOpen, OrderNotFound, ...KEYED] as const,
});
export type ChangeShippingAddressResult = typeof ChangeShippingAddressResult;

export const AdjustInventoryResult = createUnionType({
  name: 'AdjustInventoryResult',
  description: 'What adjustInventory did: InventoryAdjusted (detectedBy set on a repeat), or why nothing changed.',
  types: () => [InventoryAdjusted, StockWouldGoNegative, ProductNotFound, ...KEYED] as const,
});
export type AdjustInventoryResult = typeof AdjustInventoryResult;

/** Any lifecycle answer (what the shared policy code handles). */
export type LifecycleResult =
  | CancelOrderResult
  | RefundOrderResult
  | ChangeShippingAddressResult
  | AdjustInventoryResult
  | ReleaseHeldOrderResult
  | DismissHeldOrderResult;
