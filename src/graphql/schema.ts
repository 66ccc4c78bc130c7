import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import type { ContainerType } from 'type-graphql';
import type { AppServices } from '../app/services';
import { AuditResolver } from '../audit/audit.resolver';
import { authChecker } from '../auth/auth-checker';
import { ProductResolver } from '../catalog/product.resolver';
import { OrderTokenResolver } from '../order-tokens/order-token.resolver';
import { OrderItemResolver } from '../orders/order-item.resolver';
import { OrderResolver } from '../orders/order.resolver';
import type { GraphQLContext } from './context';

let schema: Promise<GraphQLSchema> | undefined;

/**
 * The GraphQL schema, built once per process. It holds no service instances: resolvers come from
 * the request's context, so several servers (tests, instances) can share one schema.
 */
export function buildOrderGateSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({
    resolvers: [OrderResolver, OrderItemResolver, ProductResolver, OrderTokenResolver, AuditResolver],
    authChecker,
    // The contract names its date scalar `DateTime` (ISO 8601 strings).
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    // Inputs are validated by the services, which answer with typed union members.
    validate: false,
    container: ({ context }: { context: GraphQLContext }) => context.resolvers,
  });
  return schema;
}

/** The resolver instances of one server, wired to its services. */
export function createResolverContainer(services: AppServices): ContainerType {
  const instances = new Map<Function, object>([
    [OrderResolver, new OrderResolver(services.orders, services.placement)],
    [OrderItemResolver, new OrderItemResolver()],
    [ProductResolver, new ProductResolver(services.catalog)],
    [OrderTokenResolver, new OrderTokenResolver(services.orderTokens)],
    [AuditResolver, new AuditResolver(services.audit)],
  ]);
  return {
    get(resolverClass: Function) {
      const instance = instances.get(resolverClass);
      if (!instance) throw new Error(`No resolver instance for ${resolverClass.name}.`);
      return instance;
    },
  };
}
