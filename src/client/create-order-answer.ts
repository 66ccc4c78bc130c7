/** What one try of createOrder means to the SDK: an outcome, or another try. */
import type { DetectionSource, OrderFailure, PlacedOrder } from './create-order-outcome.js';
import type { CreateOrderMutation } from './generated.js';
import { malformedResponse } from './graphql-transport.js';
import type { GraphQLAnswer } from './graphql-transport.js';
import { stillInProgress } from './order-gate-error.js';
import { verdictOnFailure } from './retry.js';
import type { TryVerdict } from './retry.js';
import { isUnionMember, unrecognizedAnswer } from './unrecognized-answer.js';

/** An outcome before the key and the tries are added. */
export type Settled =
  | { ok: true; order: PlacedOrder; replayed: boolean; detectedBy: DetectionSource | null }
  | { ok: false; failure: OrderFailure };

type CreateOrderResult = CreateOrderMutation['createOrder'];

/** Retries what is transient (the same key makes that safe); a defect, a refusal or any business answer is final. */
export function settleCreateOrder(answer: GraphQLAnswer<CreateOrderMutation>): TryVerdict<Settled> {
  if (answer.kind === 'failed') return verdictOnFailure(answer.failure, { ok: false, failure: answer.failure });
  // Typed as the schema has it; what arrived may lack it (a gateway, another GraphQL server).
  const result: unknown = answer.data.createOrder;
  if (!isUnionMember(result)) return settleCreateOrder(malformedResponse('The response had no createOrder answer.'));
  return settleResult(result as CreateOrderResult);
}

/**
 * Every member of CreateOrderResult, each by name: the generated type lists every member of the
 * schema's union, so a member added there (and `npm run codegen`) fails this switch's build at its
 * `never` check. A member added after this SDK was built (an installed app meeting a newer server)
 * is an UnrecognizedAnswer with the key: final, not thrown, not retried.
 */
function settleResult(result: CreateOrderResult): TryVerdict<Settled> {
  switch (result.__typename) {
    case 'OrderCreated':
      return { done: { ok: true, order: result.order, replayed: false, detectedBy: null } };
    case 'DuplicateDetected':
      return { done: { ok: true, order: result.originalOrder, replayed: true, detectedBy: result.detectedBy } };
    case 'RequestInProgress':
      return {
        retry: { ok: false, failure: stillInProgress(result.retryAfterMs) },
        retryAfterMs: result.retryAfterMs,
      };
    case 'PossibleDuplicate':
      return failed({
        kind: 'PossibleDuplicate',
        candidate: result.candidate,
        similarity: result.similarity,
        reasons: result.reasons,
        heldOrderId: result.heldOrderId ?? null,
        riskScore: result.riskScore ?? null,
      });
    case 'IdempotencyKeyReused':
      return failed({ kind: 'IdempotencyKeyReused', message: result.message });
    case 'InvalidIdempotencyKey':
      return failed({ kind: 'InvalidIdempotencyKey', message: result.message });
    case 'InvalidOrderToken':
      return failed({ kind: 'InvalidOrderToken', message: result.message });
    case 'InsufficientStock':
      return failed({
        kind: 'InsufficientStock',
        sku: result.sku,
        requested: result.requested,
        available: result.available,
      });
    case 'ValidationFailed':
      return failed({ kind: 'ValidationFailed', field: result.field, message: result.message });
    default:
      return failed(unrecognizedAnswer(result satisfies never));
  }
}

function failed(failure: OrderFailure): TryVerdict<Settled> {
  return { done: { ok: false, failure } };
}
