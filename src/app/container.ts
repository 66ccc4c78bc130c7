import type { ContainerType } from 'type-graphql';
import { AuditResolver } from '../audit/audit.resolver';
import { ProductResolver } from '../catalog/product.resolver';
import { OrderTokenResolver } from '../order-tokens/order-token.resolver';
import { CreateOrderIdempotency } from '../orders/create-order.idempotency';
import { AdjustInventoryIdempotency } from '../orders/lifecycle/adjust-inventory.idempotency';
import { CancelOrderIdempotency } from '../orders/lifecycle/cancel-order.idempotency';
import { ChangeShippingAddressIdempotency } from '../orders/lifecycle/change-shipping-address.idempotency';
import { OrderLifecycleResolver } from '../orders/lifecycle/order-lifecycle.resolver';
import { RefundOrderIdempotency } from '../orders/lifecycle/refund-order.idempotency';
import { OrderItemResolver } from '../orders/order-item.resolver';
import { OrderResolver } from '../orders/order.resolver';
import type { AppServices } from './services';

/** A class the container hands out an instance of. */
type InstanceClass = abstract new (...dependencies: never[]) => object;

/**
 * The instances type-graphql asks for (resolvers, and the idempotency policies of `@Idempotent`),
 * wired to one server's services: constructor injection without a DI framework.
 */
export function createContainer(services: AppServices): ContainerType {
  const instances = new Map<InstanceClass, object>([
    [OrderResolver, new OrderResolver(services.orders, services.placement)],
    [OrderItemResolver, new OrderItemResolver(services.catalog)],
    [ProductResolver, new ProductResolver(services.catalog)],
    [OrderTokenResolver, new OrderTokenResolver(services.orderTokens)],
    [AuditResolver, new AuditResolver(services.audit)],
    [
      CreateOrderIdempotency,
      new CreateOrderIdempotency(services.orders, services.orderTokens, services.orderAdmission),
    ],
    [OrderLifecycleResolver, new OrderLifecycleResolver(services.lifecycle, services.inventory)],
    [CancelOrderIdempotency, services.lifecycleGate.policies.cancel],
    [RefundOrderIdempotency, services.lifecycleGate.policies.refund],
    [ChangeShippingAddressIdempotency, services.lifecycleGate.policies.changeAddress],
    [AdjustInventoryIdempotency, services.lifecycleGate.policies.adjust],
  ]);
  return {
    get(someClass: InstanceClass) {
      const instance = instances.get(someClass);
      if (!instance) throw new Error(`No instance of ${someClass.name} in the server's container.`);
      return instance;
    },
  };
}
