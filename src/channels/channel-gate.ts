import type { GuardedAttempt, IdempotencyGuard } from 'graphql-idempotency';
import { takeRiskCountedAtAdmission } from '../orders/create-order.idempotency';
import type { CreateOrderIdempotency, PreparedOrder } from '../orders/create-order.idempotency';
import type { OrderPlacementService } from '../orders/order-placement.service';
import type { CreateOrderResult } from '../orders/results/create-order-result.union';
import { RequestInProgress } from '../orders/results/request-in-progress.type';
import { deliveryKey, externalKey } from '../sales-channel/door-keys';
import type { ChannelOrder } from './channel-order';
import { ChannelRequestContext } from './channel-request-context';
import type { ChannelRequest } from './channel-request-context';
import type { ExternalOrderIdempotency } from './external-order.idempotency';

/** How long a door waits for a concurrent delivery of the same order. */
export interface SettleOptions {
  /** Give up waiting after this long and answer RequestInProgress (ms). Default 10 000. */
  timeoutMs?: number;
  /** Longest pause between two asks (ms); the guard's retry hint is for remote clients. Default 100. */
  pollMs?: number;
}

/** The idempotency policy of each kind of identity. */
export interface ChannelPolicies {
  /** The caller's Idempotency-Key, scoped to the customer: createOrder's own policy. */
  keyed: CreateOrderIdempotency;
  /** The door's own name for the order: (channel, source, externalId). */
  external: ExternalOrderIdempotency;
}

/**
 * The one way in for every door other than GraphQL: an adapter hands it a translated order, and it
 * goes through the same IdempotencyGuard (claim, repeats, audit, metrics) and the same
 * OrderPlacementService (semantic check with the channel's policy, one transaction) as createOrder.
 * Adapters never write orders themselves.
 */
export class ChannelGate {
  constructor(
    private readonly guard: IdempotencyGuard,
    private readonly placement: OrderPlacementService,
    private readonly policies: ChannelPolicies,
  ) {}

  /** One pass through the guard; RequestInProgress when a delivery of the same order is running. */
  place(order: ChannelOrder, request: ChannelRequest): Promise<CreateOrderResult> {
    const context = new ChannelRequestContext(request, order.customerId, order.channel);
    const input = { ...order.content, channel: order.channel };
    // With the customer's risk count the rate limit's call made, if it did (keyed orders: admit).
    const execute = (attempt: GuardedAttempt<PreparedOrder>) =>
      this.placement.placeOrder(attempt, takeRiskCountedAtAdmission(context, attempt.scope.key));
    if ('idempotencyKey' in order.identity) {
      return this.guard.run(
        this.policies.keyed,
        { idempotencyKey: order.identity.idempotencyKey, input },
        context,
        execute,
      );
    }
    const { external, delivery } = order.identity;
    const idempotencyKey =
      delivery === undefined
        ? externalKey(order.channel, external)
        : deliveryKey(order.channel, external.source, delivery);
    const args = { idempotencyKey, input, external };
    return this.guard.run(this.policies.external, args, context, execute);
  }

  /**
   * For doors that must answer with the order (a webhook delivered many times at once, a file
   * uploaded twice): asks again while a concurrent delivery of the same order is running, until it
   * settles (created, or found as a duplicate) or `timeoutMs` has passed.
   */
  async placeSettled(
    order: ChannelOrder,
    request: ChannelRequest,
    options: SettleOptions = {},
  ): Promise<CreateOrderResult> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      const result = await this.place(order, request);
      if (!(result instanceof RequestInProgress)) return result;
      const pauseMs = Math.min(result.retryAfterMs, options.pollMs ?? 100);
      if (Date.now() + pauseMs > deadline) return result;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
