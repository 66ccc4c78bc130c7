import type { Viewer } from '../auth/viewer';
import type { ObservedRequest } from '../idempotency/order-decision-event';
import type { Logger } from '../observability/logger';
import type { PerRequest, RequestContext } from '../request/request-context';
import type { SalesChannel } from '../sales-channel/sales-channel.type';

/** The HTTP request an order came with: its id (in every log line and audit record) and its logger. */
export interface ChannelRequest {
  requestId: string;
  logger: Logger;
}

/**
 * The request context of one order entering through a channel adapter, as GraphQLContext is for
 * a GraphQL request. The viewer is the customer the order is for: the door authenticated the
 * sender (a webhook's signature, an admin's upload, a partner's token) and speaks for them.
 */
export class ChannelRequestContext implements RequestContext, ObservedRequest {
  readonly viewer: Viewer;
  readonly requestId: string;
  readonly logger: Logger;
  private readonly instances = new Map<PerRequest<unknown>, unknown>();

  constructor(
    request: ChannelRequest,
    customerId: string,
    /** The door: channel metrics count deliveries here, not in the guard's observer. */
    readonly channel: SalesChannel,
  ) {
    this.requestId = request.requestId;
    this.logger = request.logger;
    this.viewer = { customerId, role: 'customer' };
  }

  requireViewer(): Viewer {
    return this.viewer;
  }

  perRequest<T>(create: PerRequest<T>): T {
    if (!this.instances.has(create)) this.instances.set(create, create());
    return this.instances.get(create) as T;
  }
}
