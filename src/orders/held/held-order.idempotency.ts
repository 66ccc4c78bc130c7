import { UUID_PATTERN } from '../order.service';
import { ValidationFailed } from '../results/validation-failed.type';
import type { ChangeAnswers } from '../lifecycle/change-answers';
import { LifecyclePolicy, reasonOf } from '../lifecycle/lifecycle-policy';
import type { DismissHeldOrderArgs, ReleaseHeldOrderArgs } from './held-order.args';
import type { DismissRequest, ReleaseRequest } from './held-order.service';
import type { DismissHeldOrderResult, ReleaseHeldOrderResult } from './results/held-order-results.union';

/** The held order's id, when it is one (a malformed id is bad input, not a missing held order). */
function heldOrderIdProblem(heldOrderId: string): ValidationFailed | null {
  return UUID_PATTERN.test(heldOrderId) ? null : new ValidationFailed('heldOrderId', 'A held order id is a UUID.');
}

/** How releaseHeldOrder takes part in idempotency: the held order is its request. */
export class ReleaseHeldOrderIdempotency extends LifecyclePolicy<
  ReleaseHeldOrderArgs,
  ReleaseHeldOrderResult,
  ReleaseRequest
> {
  constructor(answers: ChangeAnswers) {
    super('releaseHeldOrder', answers);
  }

  protected parse(args: ReleaseHeldOrderArgs): ReleaseRequest | ValidationFailed {
    return heldOrderIdProblem(args.heldOrderId) ?? { heldOrderId: args.heldOrderId.toLowerCase() };
  }
}

/** How dismissHeldOrder takes part in idempotency: the held order and the reason are its request. */
export class DismissHeldOrderIdempotency extends LifecyclePolicy<
  DismissHeldOrderArgs,
  DismissHeldOrderResult,
  DismissRequest
> {
  constructor(answers: ChangeAnswers) {
    super('dismissHeldOrder', answers);
  }

  protected parse(args: DismissHeldOrderArgs): DismissRequest | ValidationFailed {
    const reason = reasonOf(args.reason);
    const problem = heldOrderIdProblem(args.heldOrderId);
    if (problem) return problem;
    return typeof reason === 'string' ? { heldOrderId: args.heldOrderId.toLowerCase(), reason } : reason;
  }
}
