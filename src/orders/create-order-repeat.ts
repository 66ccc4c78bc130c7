import type { ClaimScope } from 'graphql-idempotency';
import type { OrderTokenService } from '../order-tokens/order-token.service';
import type { OrderService } from './order.service';

/**
 * Whether a createOrder request that won a fresh claim is nevertheless answered without creating
 * an order, so that the rate limit must not refuse it:
 * - the database already knows the key (the claim store forgot it): its order or the order it was
 *   answered with, DuplicateDetected(DATABASE); a request it holds, held again as the same held order;
 * - its one-time order token was already used, is held by another request, has expired or is not
 *   genuine: DuplicateDetected(TOKEN), RequestInProgress or InvalidOrderToken.
 * Telling the token's state takes a hold on it; a token that turns out to be free is given back at
 * once (a concurrent request may see it in use for that moment and is told to retry).
 */
export async function isRepeatOrder(
  scope: ClaimScope,
  orderToken: string | null | undefined,
  orders: OrderService,
  orderTokens: OrderTokenService,
): Promise<boolean> {
  if (await orders.keyIsKnown(scope.scope, scope.key)) return true;
  if (orderToken == null) return false;
  const admission = await orderTokens.admit(scope.scope, orderToken);
  if (admission.kind !== 'admitted') return true;
  if (admission.hold) {
    await orderTokens.settle(admission.hold, null);
    return false;
  }
  // The token store could not say (down, or it lost the record): the database knows whether an order used it.
  return (await orders.findByOrderToken(scope.scope, admission.tokenId)) !== null;
}
