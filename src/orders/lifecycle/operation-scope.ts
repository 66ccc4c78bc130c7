import type { ClaimScope } from '../../idempotency/claim-store';

/** The mutations of an order's life after createOrder, each with keys of its own. */
export type LifecycleOperation = 'cancelOrder' | 'refundOrder' | 'changeShippingAddress' | 'adjustInventory';

/**
 * The claim scope of a lifecycle key. Today's claims are scoped by customer and key only, so the
 * operation goes into the key: a cancelOrder key never collides with a createOrder key of the same
 * caller. The one place to switch once claims carry their operation themselves.
 */
export function operationScope(operation: LifecycleOperation, actorId: string, key: string): ClaimScope {
  return { customerId: actorId, key: `${operation}:${key}` };
}

/** The key as the caller sent it, back from an operationScope. */
export function callerKeyOf(scope: ClaimScope): string {
  return scope.key.slice(scope.key.indexOf(':') + 1);
}
