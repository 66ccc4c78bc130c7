import { fingerprintOf } from 'graphql-idempotency';
import type { RejectedRequest } from 'graphql-idempotency';
import type { CreateOrderArgs } from '../orders/create-order.args';
import { CreateOrderIdempotency } from '../orders/create-order.idempotency';
import type { PreparedOrder } from '../orders/create-order.idempotency';
import type { OrderRequest } from '../orders/order-request';
import type { CreateOrderResult } from '../orders/results/create-order-result.union';
import type { RequestContext } from '../request/request-context';
import type { ExternalIdentity } from '../sales-channel/door-keys';

/** createOrder's arguments with the door's own name for the order; the key is derived from it (externalKey). */
export interface ExternalOrderArgs extends CreateOrderArgs {
  external: ExternalIdentity;
}

/**
 * How an order named by its door (a marketplace order id, a POS receipt) takes part in
 * idempotency: as createOrder does (the same parse, fingerprint, repeats and answers), with the
 * key derived from the identity, and the identity handed to placement, where the unique
 * (channel, source, externalId) index is the final arbiter. No rate limit: a signed webhook or an
 * admin's upload is not a customer clicking, and refusing it would only make the sender retry.
 */
export class ExternalOrderIdempotency extends CreateOrderIdempotency {
  override prepare(
    args: ExternalOrderArgs,
    context: RequestContext,
  ): PreparedOrder | RejectedRequest<CreateOrderResult> {
    const prepared = super.prepare(args, context);
    if ('reject' in prepared) return prepared;
    return { ...prepared, external: args.external };
  }

  protected override metadataOf(request: OrderRequest, args: ExternalOrderArgs): PreparedOrder['metadata'] {
    return { ...super.metadataOf(request, args), salesSource: args.external.source };
  }

  /**
   * The door's name for the order is part of the request: under one delivery key (a webhook-id
   * sent again) another marketplace order with the same basket is the key reused, not a
   * redelivery of the first (found from outside: it was answered as the first order's duplicate,
   * and the second order was lost).
   */
  protected override fingerprintOf(customerId: string, request: OrderRequest, args: ExternalOrderArgs): string {
    const { source, externalId } = args.external;
    return fingerprintOf({ request: super.fingerprintOf(customerId, request, args), source, externalId });
  }

  /** The door names its own channel (MARKETPLACE, POS), whoever signed or uploaded. */
  protected override mayClaimChannel(): boolean {
    return true;
  }

  override admit(): Promise<void> {
    return Promise.resolve();
  }
}
