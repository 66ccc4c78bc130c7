import type { ContainerType } from 'type-graphql';
import { AuditResolver } from '../audit/audit.resolver';
import { ProductResolver } from '../catalog/product.resolver';
import { OrderTokenResolver } from '../order-tokens/order-token.resolver';
import { CreateOrderIdempotency } from '../orders/create-order.idempotency';
import { OrderItemResolver } from '../orders/order-item.resolver';
import { OrderResolver } from '../orders/order.resolver';
import type { AppServices } from './services';

/**
 * The instances type-graphql asks for (resolvers, and the idempotency policies of `@Idempotent`),
 * wired to one server's services: constructor injection without a DI framework.
 */
/** A class the container holds one instance of (a resolver or a policy). */
type ResolverClass = abstract new (...args: never[]) => object;

export function createContainer(services: AppServices): ContainerType {
  const instances = new Map<ResolverClass, object>([
    [OrderResolver, new OrderResolver(services.orders, services.placement)],
    [OrderItemResolver, new OrderItemResolver(services.catalog)],
    [ProductResolver, new ProductResolver(services.catalog)],
    [OrderTokenResolver, new OrderTokenResolver(services.orderTokens)],
    [AuditResolver, new AuditResolver(services.audit)],
    [
      CreateOrderIdempotency,
      new CreateOrderIdempotency(services.orders, services.orderTokens, services.orderAdmission),
    ],
  ]);
  return {
    get(someClass: ResolverClass) {
      const instance = instances.get(someClass);
      if (!instance) throw new Error(`No instance of ${someClass.name} in the server's container.`);
      return instance;
    },
  };
}
