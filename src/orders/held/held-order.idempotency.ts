import { ValidationFailed } from '../results/validation-failed.type';
import type { ChangeAnswers } from '../lifecycle/change-answers';
import { checked, idArgument, LifecyclePolicy, reasonArgument, reasonProblem } from '../lifecycle/lifecycle-policy';
import type { RefusedChange } from '../lifecycle/lifecycle-policy';
import type { DismissHeldOrderArgs, ReleaseHeldOrderArgs } from './held-order.args';
import type { DismissRequest, ReleaseRequest } from './held-order.service';
import type { DismissHeldOrderResult, ReleaseHeldOrderResult } from './results/held-order-results.union';

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
    const heldOrderId = idArgument('heldOrderId', args.heldOrderId);
    return heldOrderId instanceof ValidationFailed ? heldOrderId : { heldOrderId };
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

  protected parse(args: DismissHeldOrderArgs): DismissRequest | ValidationFailed | RefusedChange<DismissRequest> {
    const heldOrderId = idArgument('heldOrderId', args.heldOrderId);
    if (heldOrderId instanceof ValidationFailed) return heldOrderId;
    const request = { heldOrderId, reason: reasonArgument(args.reason) };
    return checked(request, reasonProblem(request.reason));
  }
}
