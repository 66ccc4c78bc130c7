import type { ValidationFailed } from '../results/validation-failed.type';
import type { ChangeAnswers } from './change-answers';
import type { CancelOrderArgs } from './lifecycle.args';
import type { CancelRequest } from './order-lifecycle.service';
import { LifecyclePolicy, orderIdProblem, reasonOf } from './lifecycle-policy';
import type { CancelOrderResult } from './results/lifecycle-results.union';

/** How cancelOrder takes part in idempotency: the order and the reason are its request. */
export class CancelOrderIdempotency extends LifecyclePolicy<CancelOrderArgs, CancelOrderResult, CancelRequest> {
  constructor(answers: ChangeAnswers) {
    super('cancelOrder', answers);
  }

  protected parse(args: CancelOrderArgs): CancelRequest | ValidationFailed {
    const reason = reasonOf(args.reason);
    // The id's case is not the request's: a retry that upper-cases it asks for the same cancellation.
    const orderId = args.orderId.toLowerCase();
    return orderIdProblem(orderId) ?? (typeof reason === 'string' ? { orderId, reason } : reason);
  }
}
