import { IdempotencyKeyReused } from '../results/idempotency-key-reused.type';
import type { LifecycleOperation } from './operation-scope';

/** What a new key of each lifecycle mutation is for, in IdempotencyKeyReused's advice. */
const INTENT: Record<LifecycleOperation, string> = {
  cancelOrder: 'cancellation',
  refundOrder: 'refund',
  changeShippingAddress: 'address change',
  adjustInventory: 'stock adjustment',
  releaseHeldOrder: 'release',
  dismissHeldOrder: 'dismissal',
};

/** IdempotencyKeyReused for a lifecycle mutation's key: it says what a new key is for ("a new refund"). */
export function keyReused(change: { operation: LifecycleOperation; key: string }): IdempotencyKeyReused {
  return new IdempotencyKeyReused(change.key, INTENT[change.operation]);
}
