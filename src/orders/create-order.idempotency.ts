import type { GraphQLContext } from '../graphql/context';
import type { IdempotencyPolicy, SettledResource } from '../idempotency/idempotency-guard';
import { isRepeatOrder } from '../rate-limit/create-order-repeat';
import type { CreateOrderInput } from './create-order.input';
import {
  DuplicateDetected,
  IdempotencyKeyReused,
  InvalidIdempotencyKey,
  OrderCreated,
  PossibleDuplicate,
  RequestInProgress,
  ValidationFailed,
  DetectionSource,
} from './create-order-outcomes.type';
import type { CreateOrderResult } from './create-order-result.union';
import { fingerprintOrderRequest, parseOrderRequest } from './order-request';
import type { Order } from './order.type';

interface CreateOrderArgs {
  idempotencyKey: string;
  input: CreateOrderInput;
}

/** How createOrder takes part in idempotency (see `@Idempotent` on OrderResolver.createOrder). */
export const createOrderIdempotency: IdempotencyPolicy<CreateOrderArgs, GraphQLContext, CreateOrderResult> = {
  keyOf: (args) => args.idempotencyKey,

  prepare(args, context) {
    const parsed = parseOrderRequest(args.input);
    if (!parsed.ok) return { reject: new ValidationFailed(parsed.field, parsed.message) };
    const customerId = context.requireViewer().customerId;
    const fingerprint = fingerprintOrderRequest(customerId, parsed.request);
    return { scope: { customerId, key: args.idempotencyKey }, fingerprint, channel: parsed.request.channel };
  },

  outcomeOf(result) {
    if (result instanceof OrderCreated) {
      const related = result.semanticMatch ? { semanticMatch: result.semanticMatch, relatedResourceId: result.order.possibleDuplicateOfId! } : {};
      return { decision: 'created', resource: settled(result.order), ...related };
    }
    if (result instanceof PossibleDuplicate) return { decision: 'possible_duplicate', relatedResourceId: result.candidate.id };
    if (result instanceof DuplicateDetected) {
      return { decision: 'duplicate', source: result.detectedBy, resource: settled(result.originalOrder) };
    }
    if (result instanceof IdempotencyKeyReused) return { decision: 'reused' };
    return { decision: 'rejected' };
  },

  async findCommitted(scope, context) {
    const order = await context.services.orders.findByKey(scope.customerId, scope.key);
    return order && settled(order);
  },

  async duplicate(resource, source, scope, context) {
    const order = await context.services.orders.findForCustomer(resource.resourceId, scope.customerId);
    return order && new DuplicateDetected(order, DetectionSource[source]);
  },

  reused: (scope) => new IdempotencyKeyReused(scope.key),
  inProgress: (scope, retryAfterMs) => new RequestInProgress(scope.key, retryAfterMs),
  invalidKey: (message) => new InvalidIdempotencyKey(message),

  admit: (scope, context, args) =>
    context.services.orderAdmission.admit({
      ...scope,
      logger: context.logger,
      isRepeat: () => isRepeatOrder(scope, args.input.orderToken, context.services),
    }),
};

function settled(order: Order): SettledResource {
  return { resourceId: order.id, fingerprint: order.fingerprint, firstSeenAt: order.createdAt };
}
