import type { OrderTokenService } from '../order-tokens/order-token.service';
import type { CommittedAnswers } from './committed-answers';
import type { OrderWrite } from './order-write';
import type { CreateOrderResult } from './results/create-order-result.union';
import { DuplicateDetected } from './results/duplicate-detected.type';
import { InvalidOrderToken } from './results/invalid-order-token.type';
import { OrderCreated } from './results/order-created.type';
import { RequestInProgress } from './results/request-in-progress.type';

/**
 * Places an attempt that carries a one-time order token (OrderPlacementService): the token is
 * checked and held first; one in use, expired or used is answered without placing (expired or used,
 * with the order its key or the token already stands for, if any); else `place` places the order
 * with it, and the token is marked used by the order that now holds it, or given back when none does.
 */
export async function placeWithOrderToken(
  tokens: OrderTokenService,
  answers: CommittedAnswers,
  write: OrderWrite,
  token: string,
  place: (write: OrderWrite) => Promise<CreateOrderResult>,
): Promise<CreateOrderResult> {
  const admission = await tokens.admit(write.customerId, token);
  switch (admission.kind) {
    case 'invalid':
      return new InvalidOrderToken(admission.message);
    case 'in-use':
      return new RequestInProgress(write.idempotencyKey, admission.retryAfterMs);
    case 'expired':
      return (
        (await answers.byKey(write)) ??
        (await answers.withTokenOrder(write, admission.tokenId)) ??
        new InvalidOrderToken('The order token has expired.')
      );
    case 'used':
      return (
        (await answers.byKey(write)) ??
        (await answers.withTokenOrder(write, admission.tokenId)) ??
        new InvalidOrderToken('The order token was already used.')
      );
  }
  let result: CreateOrderResult;
  try {
    result = await place({ ...write, orderTokenId: admission.tokenId });
  } catch (error) {
    await tokens.settle(admission.hold, null);
    throw error;
  }
  await tokens.settle(admission.hold, orderThatUsedToken(result, admission.tokenId));
  return result;
}

/** The id of the order that now holds the token (ours, or the one found holding it), or null if none does. */
function orderThatUsedToken(result: CreateOrderResult, orderTokenId: string): string | null {
  if (result instanceof OrderCreated) return result.order.id;
  if (result instanceof DuplicateDetected && result.originalOrder.orderTokenId === orderTokenId)
    return result.originalOrder.id;
  return null;
}
