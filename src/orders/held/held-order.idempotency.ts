import { ValidationFailed } from '../results/validation-failed.type';
import type { ChangeAnswers } from '../lifecycle/change-answers';
import { checked, idArgument, LifecyclePolicy, reasonArgument, reasonProblem } from '../lifecycle/lifecycle-policy';
import type { RefusedChange } from '../lifecycle/lifecycle-policy';
import type { DismissHeldOrderArgs, ReleaseHeldOrderArgs } from './held-order.args';
import type { DismissRequest, ReleaseRequest } from './held-order.service';
import type { OrderDecisionMetadata } from '../../idempotency/order-decision-event';
import { HeldOrderDismissed } from './results/held-order-dismissed.type';
import { HeldOrderReleased } from './results/held-order-released.type';
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

  override answerMetadata(result: ReleaseHeldOrderResult) {
    return heldChangeMetadata(result);
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

  override answerMetadata(result: DismissHeldOrderResult) {
    return heldChangeMetadata(result);
  }
}

/**
 * What the audit row of a repeat the guard answered (from Redis, or the database it asked) names,
 * as the first decision's row does: the held order's candidate (relatedOrderId), its door, and for
 * a release the order placed (orderId). The arguments name only the held order, so that is read
 * from the answer. A dismissal places no order: its rows name none, and orderHistory and
 * duplicateAttempts find them through the candidate.
 */
function heldChangeMetadata(result: unknown): Partial<OrderDecisionMetadata> | undefined {
  if (!(result instanceof HeldOrderReleased || result instanceof HeldOrderDismissed)) return undefined;
  const { heldOrder } = result;
  const held = { relatedResourceId: heldOrder.candidateOrderId, channel: heldOrder.channel };
  return result instanceof HeldOrderReleased ? { ...held, subjectOrderId: result.order.id } : held;
}
