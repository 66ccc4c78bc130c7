import type { ClaimScope } from '../idempotency/claim-store';
import type { IdempotencyPolicy, PreparedRequest, SettledResource } from '../idempotency/idempotency-guard';
import type { OrderTokenService } from '../order-tokens/order-token.service';
import type { OrderAdmission } from '../rate-limit/order-admission';
import type { RequestContext } from '../request/request-context';
import type { CreateOrderArgs } from './create-order.args';
import { isRepeatOrder } from './create-order-repeat';
import { fingerprintOrderRequest, parseOrderRequest } from './order-request';
import type { OrderRequest } from './order-request';
import { orderFromReplay, replayOf } from './order-replay';
import type { OrderService } from './order.service';
import type { Order } from './order.type';
import type { CreateOrderResult } from './results/create-order-result.union';
import { DetectionSource } from './results/detection-source.type';
import { DuplicateDetected } from './results/duplicate-detected.type';
import { IdempotencyKeyReused } from './results/idempotency-key-reused.type';
import { InvalidIdempotencyKey } from './results/invalid-idempotency-key.type';
import { OrderCreated } from './results/order-created.type';
import { PossibleDuplicate } from './results/possible-duplicate.type';
import { RequestInProgress } from './results/request-in-progress.type';
import { ValidationFailed } from './results/validation-failed.type';

/** A createOrder request as the guard prepared it: parsed, normalised and fingerprinted once. */
export interface PreparedOrder extends PreparedRequest {
  request: OrderRequest;
  /** The one-time order token sent with it, if any. */
  orderToken: string | null;
  /** The client confirmed a held possible duplicate. */
  confirmed: boolean;
  /**
   * The order's own name in its door (a marketplace order id, a POS receipt; see src/channels):
   * stored with the order, where the unique (channel, source, externalId) index stops a second one.
   */
  external?: { source: string; externalId: string };
}

/** How createOrder takes part in idempotency (see `@Idempotent` on OrderResolver.createOrder). */
export class CreateOrderIdempotency implements IdempotencyPolicy<
  CreateOrderArgs,
  RequestContext,
  CreateOrderResult,
  PreparedOrder
> {
  static readonly keyArgument = 'idempotencyKey';

  constructor(
    private readonly orders: OrderService,
    private readonly orderTokens: OrderTokenService,
    private readonly admission: OrderAdmission,
  ) {}

  keyOf(args: CreateOrderArgs): string {
    return args.idempotencyKey;
  }

  prepare(args: CreateOrderArgs, context: RequestContext): PreparedOrder | { reject: CreateOrderResult } {
    const parsed = parseOrderRequest(args.input);
    if (!parsed.ok) return { reject: new ValidationFailed(parsed.field, parsed.message) };
    const customerId = context.requireViewer().customerId;
    return {
      scope: { customerId, key: args.idempotencyKey },
      fingerprint: fingerprintOrderRequest(customerId, parsed.request),
      channel: parsed.request.channel,
      request: parsed.request,
      orderToken: args.input.orderToken ?? null,
      confirmed: args.input.confirmPossibleDuplicate === true,
    };
  }

  outcomeOf(result: CreateOrderResult) {
    if (result instanceof OrderCreated) {
      const related = result.semanticMatch
        ? { semanticMatch: result.semanticMatch, relatedResourceId: result.order.possibleDuplicateOfId! }
        : {};
      return { decision: 'created' as const, resource: settled(result.order), recorded: result.recorded, ...related };
    }
    if (result instanceof PossibleDuplicate) {
      return { decision: 'possible_duplicate' as const, relatedResourceId: result.candidate.id, ...result.audit };
    }
    if (result instanceof DuplicateDetected) {
      return { decision: 'duplicate' as const, source: result.detectedBy, resource: settled(result.originalOrder) };
    }
    if (result instanceof IdempotencyKeyReused) return { decision: 'reused' as const };
    if (result instanceof RequestInProgress)
      return { decision: 'in_progress' as const, retryAfterMs: result.retryAfterMs };
    return { decision: 'rejected' as const };
  }

  async findCommitted(scope: ClaimScope): Promise<SettledResource | null> {
    const order = await this.orders.findForCustomerByKey(scope.customerId, scope.key);
    return order && settled(order);
  }

  async duplicate(
    resource: SettledResource,
    source: DetectionSource,
    scope: ClaimScope,
  ): Promise<CreateOrderResult | null> {
    // A replay kept with the claim answers without the database; one this version cannot read is read again.
    const order =
      orderFromReplay(resource.replay) ?? (await this.orders.findForCustomer(resource.resourceId, scope.customerId));
    return order && new DuplicateDetected(order, DetectionSource[source]);
  }

  reused(scope: ClaimScope): CreateOrderResult {
    return new IdempotencyKeyReused(scope.key);
  }

  inProgress(scope: ClaimScope, retryAfterMs: number): CreateOrderResult {
    return new RequestInProgress(scope.key, retryAfterMs);
  }

  invalidKey(message: string): CreateOrderResult {
    return new InvalidIdempotencyKey(message);
  }

  admit(scope: ClaimScope, context: RequestContext, args: CreateOrderArgs): Promise<void> {
    return this.admission.admit({
      ...scope,
      logger: context.logger,
      isRepeat: () => isRepeatOrder(scope, args.input.orderToken, this.orders, this.orderTokens),
    });
  }
}

/** The order as the key's resource, with the answer repeats get (so that they need no database read). */
function settled(order: Order): SettledResource {
  const replay = replayOf(order);
  return {
    resourceId: order.id,
    fingerprint: order.fingerprint,
    firstSeenAt: order.createdAt,
    ...(replay ? { replay } : {}),
  };
}
