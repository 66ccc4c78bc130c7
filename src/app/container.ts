import type { ContainerType } from 'type-graphql';
import { AuditResolver } from '../audit/audit.resolver';
import { ProductResolver } from '../catalog/product.resolver';
import { OrderTokenResolver } from '../order-tokens/order-token.resolver';
import { HeldOrderResolver } from '../orders/held/held-order.resolver';
import { OrderLifecycleResolver } from '../orders/lifecycle/order-lifecycle.resolver';
import { OrderItemResolver } from '../orders/order-item.resolver';
import { OrderResolver } from '../orders/order.resolver';
import type { AppServices } from './services';

/**
 * The instances type-graphql asks for (resolvers, and the idempotency policies of `@Idempotent`),
 * wired to one server's services: constructor injection without a DI framework.
 */
export function createContainer(services: AppServices): ContainerType {
  // The policies of `@Idempotent(PolicyClass)`: createOrder's and the doors' (idempotency-policies.ts),
  // and the lifecycle mutations' (the very instances the REST doors use, lifecycle-gate.ts).
  const { createOrder, externalOrder } = services.idempotencyPolicies;
  const policies: object[] = [createOrder, externalOrder, ...Object.values(services.lifecycleGate.policies)];
  // Keyed by class (a constructor); type-graphql asks with the class of a resolver or policy.
  const instances = new Map<unknown, object>([
    [OrderResolver, new OrderResolver(services.orders, services.placement)],
    [OrderItemResolver, new OrderItemResolver(services.catalog)],
    [ProductResolver, new ProductResolver(services.catalog)],
    [OrderTokenResolver, new OrderTokenResolver(services.orderTokens)],
    [AuditResolver, new AuditResolver(services.audit)],
    [OrderLifecycleResolver, new OrderLifecycleResolver(services.lifecycle, services.inventory)],
    [HeldOrderResolver, new HeldOrderResolver(services.heldOrders)],
    ...policies.map((policy) => [policy.constructor, policy] as const),
  ]);
  return {
    get(someClass: { name: string }) {
      const instance = instances.get(someClass);
      if (!instance) throw new Error(`No instance of ${someClass.name} in the server's container.`);
      return instance;
    },
  };
}
