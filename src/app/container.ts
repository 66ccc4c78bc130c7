import type { ContainerType } from 'type-graphql';
import { AuditResolver } from '../audit/audit.resolver';
import { ProductResolver } from '../catalog/product.resolver';
import { RESOLVERS } from '../graphql/schema';
import type { ResolverInstances } from '../graphql/schema';
import { OrderTokenResolver } from '../order-tokens/order-token.resolver';
import { HeldOrderResolver } from '../orders/held/held-order.resolver';
import { OrderLifecycleResolver } from '../orders/lifecycle/order-lifecycle.resolver';
import { OrderRefundsResolver } from '../orders/lifecycle/order-refunds.resolver';
import { OrderItemResolver } from '../orders/order-item.resolver';
import { OrderResolver } from '../orders/order.resolver';
import type { AppServices } from './services';

/**
 * The instances type-graphql asks for (resolvers, and the idempotency policies of `@Idempotent`),
 * wired to one server's services: constructor injection without a DI framework.
 */
export function createContainer(services: AppServices): ContainerType {
  // One instance per class of graphql/schema.ts's RESOLVERS (a resolver missing here does not compile).
  const resolvers: ResolverInstances = {
    order: new OrderResolver(services.orders, services.placement),
    orderLifecycle: new OrderLifecycleResolver(services.lifecycle, services.inventory),
    heldOrder: new HeldOrderResolver(services.heldOrders),
    orderItem: new OrderItemResolver(services.catalog),
    orderRefunds: new OrderRefundsResolver(services.refunds),
    product: new ProductResolver(services.catalog),
    orderToken: new OrderTokenResolver(services.orderTokens),
    audit: new AuditResolver(services.audit),
  };
  // Keyed by class (a constructor); type-graphql asks with the class of a resolver or of a policy
  // (`@Idempotent(PolicyClass)`; every policy is built in idempotency-policies.ts).
  const instances = new Map<unknown, object>([
    ...(Object.keys(RESOLVERS) as (keyof typeof RESOLVERS)[]).map(
      (name) => [RESOLVERS[name], resolvers[name]] as const,
    ),
    ...Object.values(services.idempotencyPolicies).map((policy: object) => [policy.constructor, policy] as const),
  ]);
  return {
    get(someClass: { name: string }) {
      const instance = instances.get(someClass);
      if (!instance) throw new Error(`No instance of ${someClass.name} in the server's container.`);
      return instance;
    },
  };
}
