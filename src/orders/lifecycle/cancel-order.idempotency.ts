import { ValidationFailed } from '../results/validation-failed.type';
import type { ChangeAnswers } from './change-answers';
import type { CancelOrderArgs } from './lifecycle.args';
import type { CancelRequest } from './order-lifecycle.service';
import { idArgument, LifecyclePolicy, reasonOf } from './lifecycle-policy';
import type { CancelOrderResult } from './results/lifecycle-results.union';

/** How cancelOrder takes part in idempotency: the order and the reason are its request. */
export class CancelOrderIdempotency extends LifecyclePolicy<CancelOrderArgs, CancelOrderResult, CancelRequest> {
  constructor(answers: ChangeAnswers) {
    super('cancelOrder', answers);
  }

  protected parse(args: CancelOrderArgs): CancelRequest | ValidationFailed {
    const orderId = idArgument('orderId', args.orderId);
    if (orderId instanceof ValidationFailed) return orderId;
    const reason = reasonOf(args.reason);
    return typeof reason === 'string' ? { orderId, reason } : reason;
  }
}
