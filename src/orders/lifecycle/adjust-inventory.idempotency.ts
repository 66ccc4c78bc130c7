import { normalizeSku, SKU_RULE, validSku } from '../../catalog/sku';
import { isWholeNumberFrom, MAX_INT4 } from '../../db/int-range';
import { ValidationFailed } from '../results/validation-failed.type';
import type { ChangeAnswers } from './change-answers';
import type { AdjustInventoryArgs } from './lifecycle.args';
import type { AdjustmentRequest } from './inventory-adjustment.service';
import { checked, LifecyclePolicy, reasonArgument, reasonProblem } from './lifecycle-policy';
import type { RefusedChange } from './lifecycle-policy';
import type { AdjustInventoryResult } from './results/lifecycle-results.union';

/** What a stock adjustment's delta must be; the REST route says it too for a number no int check takes. */
export const DELTA_RULE = `A delta is a whole number other than 0, at most ${MAX_INT4} either way.`;

/** How adjustInventory takes part in idempotency: the SKU, the delta and the reason are its request. */
export class AdjustInventoryIdempotency extends LifecyclePolicy<
  AdjustInventoryArgs,
  AdjustInventoryResult,
  AdjustmentRequest
> {
  constructor(answers: ChangeAnswers) {
    super('adjustInventory', answers);
  }

  protected parse(args: AdjustInventoryArgs): AdjustmentRequest | RefusedChange<AdjustmentRequest> {
    const request = { sku: normalizeSku(args.sku), delta: args.delta, reason: reasonArgument(args.reason) };
    if (validSku(args.sku) === null) return checked(request, new ValidationFailed('sku', SKU_RULE));
    if (args.delta === 0 || !isWholeNumberFrom(Math.abs(args.delta), 1))
      return checked(request, new ValidationFailed('delta', DELTA_RULE));
    return checked(request, reasonProblem(request.reason));
  }
}
