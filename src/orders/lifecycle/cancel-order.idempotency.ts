import { ValidationFailed } from '../results/validation-failed.type';
import type { ChangeAnswers } from './change-answers';
import type { CancelOrderArgs } from './lifecycle.args';
import type { CancelRequest } from './order-lifecycle.service';
import { checked, idArgument, LifecyclePolicy, reasonArgument, reasonProblem } from './lifecycle-policy';
import type { RefusedChange } from './lifecycle-policy';
import type { CancelOrderResult } from './results/lifecycle-results.union';

/** How cancelOrder takes part in idempotency: the order and the reason are its request. */
export class CancelOrderIdempotency extends LifecyclePolicy<CancelOrderArgs, CancelOrderResult, CancelRequest> {
  constructor(answers: ChangeAnswers) {
    super('cancelOrder', answers);
  }

  protected parse(args: CancelOrderArgs): CancelRequest | ValidationFailed | RefusedChange<CancelRequest> {
    const orderId = idArgument('orderId', args.orderId);
    if (orderId instanceof ValidationFailed) return orderId;
    const request = { orderId, reason: reasonArgument(args.reason) };
    return checked(request, reasonProblem(request.reason));
  }
}
