import type DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { ContainerType } from 'type-graphql';
import type { AppServices } from '../app/services';
import type { Viewer } from '../auth/viewer';
import { createProductLoader } from '../catalog/product.loader';
import type { Product } from '../catalog/product.type';
import type { IdempotencyContext } from '../idempotency/idempotent.decorator';
import type { IdempotencyGuard } from '../idempotency/idempotency-guard';
import type { Logger } from '../observability/logger';
import { createOrderItemsLoader } from '../orders/order-items.loader';
import type { OrderItem } from '../orders/order.type';

/** DataLoaders live for one request, so batching never leaks data between callers. */
export interface RequestLoaders {
  products: DataLoader<string, Product | null>;
  orderItems: DataLoader<string, OrderItem[]>;
}

/** What every resolver and middleware of one GraphQL request can reach. */
export class GraphQLContext implements IdempotencyContext {
  readonly loaders: RequestLoaders;

  constructor(
    readonly requestId: string,
    readonly viewer: Viewer | null,
    readonly services: AppServices,
    /** type-graphql asks it for resolver instances (see buildOrderGateSchema). */
    readonly resolvers: ContainerType,
    readonly logger: Logger,
  ) {
    this.loaders = {
      products: createProductLoader(services.catalog),
      orderItems: createOrderItemsLoader(services.orders),
    };
  }

  get idempotencyGuard(): IdempotencyGuard {
    return this.services.idempotencyGuard;
  }

  /** The caller; `@Authorized()` has already checked there is one wherever this is used. */
  requireViewer(): Viewer {
    if (!this.viewer) throw new GraphQLError('A valid bearer token is required.', { extensions: { code: 'UNAUTHENTICATED' } });
    return this.viewer;
  }
}
