import { SKU_RULE, validSku } from '../../catalog/sku';
import { isWholeNumberFrom, MAX_INT4 } from '../../db/int-range';
import { ValidationFailed } from '../results/validation-failed.type';
import type { ChangeAnswers } from './change-answers';
import type { AdjustInventoryArgs } from './lifecycle.args';
import type { AdjustmentRequest } from './inventory-adjustment.service';
import { LifecyclePolicy, reasonOf } from './lifecycle-policy';
import type { AdjustInventoryResult } from './results/lifecycle-results.union';

/** How adjustInventory takes part in idempotency: the SKU, the delta and the reason are its request. */
export class AdjustInventoryIdempotency extends LifecyclePolicy<
  AdjustInventoryArgs,
  AdjustInventoryResult,
  AdjustmentRequest
> {
  constructor(answers: ChangeAnswers) {
    super('adjustInventory', answers);
  }

  protected parse(args: AdjustInventoryArgs): AdjustmentRequest | ValidationFailed {
    const sku = validSku(args.sku);
    if (sku === null) return new ValidationFailed('sku', SKU_RULE);
    if (args.delta === 0 || !isWholeNumberFrom(Math.abs(args.delta), 1))
      return new ValidationFailed('delta', `A delta is a whole number other than 0, at most ${MAX_INT4} either way.`);
    const reason = reasonOf(args.reason);
    return typeof reason === 'string' ? { sku, delta: args.delta, reason } : reason;
  }
}
