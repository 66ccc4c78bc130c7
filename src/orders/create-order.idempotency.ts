import { randomUUID } from 'node:crypto';
import type {
  ClaimScope,
  GuardAnswer,
  GuardedAttempt,
  IdempotencyPolicy,
  PreparedRequest,
  RejectedRequest,
  ResultOutcome,
  SettledResource,
} from 'graphql-idempotency';
import { CREATE_ORDER } from '../idempotency/order-decision-event';
import type { OrderDecisionMetadata } from '../idempotency/order-decision-event';
import type { OrderTokenService } from '../order-tokens/order-token.service';
import type { OrderAdmission } from '../rate-limit/order-admission';
import type { PerRequest, RequestContext } from '../request/request-context';
import type { AttemptCountedAtAdmission } from '../risk/risk-feature-store';
import type { DuplicateRiskScoring } from '../risk/risk-scoring';
import type { Role } from '../auth/viewer';
import { reservedKeyPrefix } from '../sales-channel/door-keys';
import { SalesChannel } from '../sales-channel/sales-channel.type';
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
import { takeRiskTakeBack } from './risk-take-backs';

/** A createOrder request as the guard prepared it: parsed, normalised and fingerprinted once. */
export interface PreparedOrder extends PreparedRequest {
  metadata: Pick<OrderDecisionMetadata, 'channel'> & Partial<Pick<OrderDecisionMetadata, 'salesSource'>>;
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
  readonly operation = CREATE_ORDER;

  constructor(
    private readonly orders: OrderService,
    private readonly orderTokens: OrderTokenService,
    private readonly admission: OrderAdmission,
    /** Duplicate-risk scoring: its customer count-and-read rides with the rate limit's call. */
    private readonly risk: DuplicateRiskScoring | null = null,
  ) {}

  prepare(args: CreateOrderArgs, context: RequestContext): PreparedOrder | RejectedRequest<CreateOrderResult> {
    const parsed = parseOrderRequest(args.input);
    const { request } = parsed;
    if (!parsed.ok) return this.refused(args, context, request, new ValidationFailed(parsed.field, parsed.message));
    const viewer = context.requireViewer();
    if (!this.mayClaimChannel(request.channel, viewer.role)) {
      const message = `${request.channel} orders come through their own door (marketplace webhooks, POS uploads): a customer's order is WEB, MOBILE or API.`;
      return this.refused(args, context, request, new ValidationFailed('channel', message));
    }
    const customerId = viewer.customerId;
    return {
      scope: customerId,
      fingerprint: this.fingerprintOf(customerId, request, args),
      metadata: this.metadataOf(request, args),
      request,
      orderToken: args.input.orderToken ?? null,
      confirmed: args.input.confirmPossibleDuplicate === true,
    };
  }

  /** What the guard's events carry for the request, valid or refused (a repeat answered either way is audited alike). */
  protected metadataOf(request: OrderRequest, _args: CreateOrderArgs): PreparedOrder['metadata'] {
    return { channel: request.channel };
  }

  /** The request's fingerprint, valid or refused (one function, so a refused retry still matches its key's order). */
  protected fingerprintOf(customerId: string, request: OrderRequest, _args: CreateOrderArgs): string {
    return fingerprintOrderRequest(customerId, request);
  }

  /**
   * A refusal that names the caller and the payload's fingerprint: the rules may have been tightened
   * since the key's order was placed, and the guard then answers its retry with that order.
   */
  private refused(
    args: CreateOrderArgs,
    context: RequestContext,
    request: OrderRequest,
    reject: ValidationFailed,
  ): RejectedRequest<CreateOrderResult> {
    const customerId = context.viewer?.customerId;
    if (customerId === undefined) return { reject };
    return {
      reject,
      scope: customerId,
      fingerprint: this.fingerprintOf(customerId, request, args),
      metadata: this.metadataOf(request, args),
    };
  }

  /**
   * Whether the caller may name this channel: each channel's duplicate policy is the operator's
   * (SEMANTIC_DUPLICATE_POLICY), so a customer naming POS or MARKETPLACE would get that door's
   * policy, and an order recorded as coming through a door it never passed. Admins may (a phone
   * order entered for a store); the doors' own policy (ExternalOrderIdempotency) says its channel.
   */
  protected mayClaimChannel(channel: SalesChannel, role: Role): boolean {
    return role === 'admin' || CUSTOMER_CHANNELS.has(channel);
  }

  outcomeOf(result: CreateOrderResult, attempt: GuardedAttempt<PreparedOrder>): ResultOutcome {
    const outcome = this.decisionOn(result, attempt);
    // An attempt placement counted and that turned out no order: taken back with this decision's count.
    const riskTakeBack = takeRiskTakeBack(result);
    return riskTakeBack ? { ...outcome, metadata: { ...outcome.metadata, riskTakeBack } } : outcome;
  }

  private decisionOn(result: CreateOrderResult, attempt: GuardedAttempt<PreparedOrder>): ResultOutcome {
    if (result instanceof OrderCreated) {
      const related: Partial<OrderDecisionMetadata> = result.semanticMatch
        ? { semanticMatch: result.semanticMatch, relatedResourceId: result.order.possibleDuplicateOfId! }
        : {};
      return {
        outcome: 'created',
        resource: settled(result.order),
        metadata: { recorded: result.recorded, ...related },
      };
    }
    if (result instanceof PossibleDuplicate) {
      const metadata = {
        possibleDuplicate: true,
        relatedResourceId: result.candidate.id,
        recorded: result.recorded,
        ...(result.resent ? { resentHold: true } : {}),
        ...result.audit,
      };
      return { outcome: 'rejected', metadata };
    }
    if (result instanceof DuplicateDetected) {
      const order = result.originalOrder;
      // Another key's order (a token's replay, a confirmation a release answered): remembered under
      // this key's own fingerprint, as a retry of this key with its own payload is the same request,
      // not the key reused; and without a replay, which would name this key as the order's.
      const resource =
        order.idempotencyKey === attempt.scope.key
          ? settled(order)
          : { resourceId: order.id, fingerprint: attempt.prepared.fingerprint, firstSeenAt: order.createdAt };
      return { outcome: 'duplicate', layer: result.detectedBy, resource };
    }
    if (result instanceof IdempotencyKeyReused) return { outcome: 'reused' };
    if (result instanceof RequestInProgress) return { outcome: 'in_progress', retryAfterMs: result.retryAfterMs };
    return { outcome: 'rejected' };
  }

  async findCommitted(scope: ClaimScope): Promise<SettledResource | null> {
    const order = await this.orders.findForCustomerByKey(scope.scope, scope.key);
    if (order) return remembered(settledLazily(order), order);
    // A key answered with another key's order (answered-keys.ts): that order, under its own fingerprint.
    const answered = await this.orders.findAnsweredByKey(scope.scope, scope.key);
    if (!answered) return null;
    const { order: other, fingerprint } = answered;
    return remembered({ resourceId: other.id, fingerprint, firstSeenAt: other.createdAt }, other);
  }

  async answer(answer: GuardAnswer): Promise<CreateOrderResult | null> {
    switch (answer.outcome) {
      case 'duplicate': {
        // A replay kept with the claim answers without the database; one this version cannot read is read again.
        const { resource, scope } = answer;
        const order =
          ordersRead.get(resource) ??
          orderFromReplay(resource.replay, resource, { customerId: scope.scope, key: scope.key }) ??
          (await this.orders.findForCustomer(resource.resourceId, scope.scope));
        return order && new DuplicateDetected(order, DetectionSource[answer.layer]);
      }
      case 'reused':
        return new IdempotencyKeyReused(answer.scope.key);
      case 'in_progress':
        return new RequestInProgress(answer.scope.key, answer.retryAfterMs);
      case 'invalid_key':
        return new InvalidIdempotencyKey(answer.message);
    }
  }

  async admit(scope: ClaimScope, context: RequestContext, args: CreateOrderArgs): Promise<void> {
    // The attempt's own arrival, not the request's id: one request may carry several attempts (the
    // fields of one operation, the receipts of a POS file, clients reusing an X-Request-Id), each
    // one arrival in training (an audit row each), each taken back alone.
    const arrivalId = randomUUID();
    const counted = await this.admission.admit({
      customerId: scope.scope,
      key: scope.key,
      logger: context.logger,
      isRepeat: () => isRepeatOrder(scope, args.input.orderToken, this.orders, this.orderTokens),
      // Only for an attempt sure to reach scoring: one with an order token or a key of a reserved
      // form may be answered before it (a token in use, expired or used; the key refused), and
      // would be counted as an order arriving, again on every retry; risk counts those itself,
      // when they get that far.
      risk:
        args.input.orderToken == null && reservedKeyPrefix(scope.key) === null
          ? (this.risk?.admissionCall(scope.scope, arrivalId) ?? null)
          : null,
    });
    // For placement (the resolver hands it over): risk then sends no call of its own. By key: one
    // operation may carry several createOrder fields (aliases), all on one context.
    const slot = context.perRequest(riskCountedAtAdmission);
    if (counted) slot.set(scope.key, { ...counted, arrivalId });
    else slot.delete(scope.key);
  }
}

/**
 * The request's slot for the customer's risk counts the rate limit's call made (admit), by
 * idempotency key: on the request's context, so nothing outlives the request.
 */
const riskCountedAtAdmission: PerRequest<Map<string, AttemptCountedAtAdmission>> = () => new Map();

/** The risk count admit made for this key, taken (read once, by placement); undefined when none. */
export function takeRiskCountedAtAdmission(
  context: RequestContext,
  key: string,
): AttemptCountedAtAdmission | undefined {
  const slot = context.perRequest(riskCountedAtAdmission);
  const counted = slot.get(key);
  slot.delete(key);
  return counted;
}

/** The channels a customer's own request may name. */
const CUSTOMER_CHANNELS: ReadonlySet<SalesChannel> = new Set([SalesChannel.WEB, SalesChannel.MOBILE, SalesChannel.API]);

/**
 * The orders findCommitted read, by the resource it made of each: a repeat the database answers is
 * answered with the order it read, not with its replay encoded and decoded again.
 */
const ordersRead = new WeakMap<SettledResource, Order>();

function remembered(resource: SettledResource, order: Order): SettledResource {
  ordersRead.set(resource, order);
  return resource;
}

/** As settled(), the replay made only when read (the guard stores it only when the key's claim was left pending). */
function settledLazily(order: Order): SettledResource {
  let replay: ReturnType<typeof replayOf> | null = null;
  const resource: SettledResource = {
    resourceId: order.id,
    fingerprint: order.fingerprint,
    firstSeenAt: order.createdAt,
  };
  Object.defineProperty(resource, 'replay', {
    enumerable: true,
    get: () => (replay === null ? (replay = replayOf(order)) : replay),
  });
  return resource;
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
