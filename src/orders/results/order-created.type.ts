import { Field, ObjectType } from 'type-graphql';
import type { SemanticMatch } from '../../idempotency/order-decision-event';
import { Order } from '../order.type';

@ObjectType({ description: 'The order was created by this request.' })
export class OrderCreated {
  @Field(() => Order, { description: 'The new order, priced from the catalog, its stock taken.' })
  order: Order;

  /** Set when an equivalent recent order existed (not a GraphQL field: the audit log records it). */
  readonly semanticMatch?: SemanticMatch;

  /** Not a GraphQL field: the order's audit record was written in the order's own transaction. */
  readonly recorded: boolean;

  constructor(order: Order, options: { semanticMatch?: SemanticMatch; recorded?: boolean } = {}) {
    this.order = order;
    if (options.semanticMatch) this.semanticMatch = options.semanticMatch;
    this.recorded = options.recorded ?? false;
  }
}
