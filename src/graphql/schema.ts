import 'reflect-metadata';
import { specifiedDirectives } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { idempotentDirective } from 'graphql-idempotency';
import { buildSchema } from 'type-graphql';
import type { NonEmptyArray } from 'type-graphql';
import { AuditResolver } from '../audit/audit.resolver';
import { authChecker } from '../auth/auth-checker';
import { ProductResolver } from '../catalog/product.resolver';
import { OrderTokenResolver } from '../order-tokens/order-token.resolver';
import { HeldOrderResolver } from '../orders/held/held-order.resolver';
import { OrderLifecycleResolver } from '../orders/lifecycle/order-lifecycle.resolver';
import { OrderRefundsResolver } from '../orders/lifecycle/order-refunds.resolver';
import { OrderItemResolver } from '../orders/order-item.resolver';
import { OrderResolver } from '../orders/order.resolver';
import type { GraphQLContext } from './context';

/**
 * Every resolver class of the schema, by name: the one place a resolver is registered. The
 * composition root (app/container.ts) must give each its instance; the compiler holds it to that.
 */
export const RESOLVERS = {
  order: OrderResolver,
  orderLifecycle: OrderLifecycleResolver,
  heldOrder: HeldOrderResolver,
  orderItem: OrderItemResolver,
  orderRefunds: OrderRefundsResolver,
  product: ProductResolver,
  orderToken: OrderTokenResolver,
  audit: AuditResolver,
} as const;

/** One instance of each resolver class, by the name RESOLVERS gives it. */
export type ResolverInstances = { [Name in keyof typeof RESOLVERS]: InstanceType<(typeof RESOLVERS)[Name]> };

let schema: Promise<GraphQLSchema> | undefined;

/**
 * The root types' descriptions: type-graphql builds Query and Mutation without a decorator to
 * carry one, so they are set on the built schema (every other description is in its decorator).
 */
const ROOT_DESCRIPTIONS = {
  query: "Reads. Every field needs a bearer token (Authorization: Bearer <jwt>); those marked Admin only, an admin's.",
  mutation:
    'Changes. A keyed mutation happens at most once per idempotency key, and each expected outcome is a member of ' +
    'its result union, not a GraphQL error. Every field needs a bearer token.',
};

function describeRootTypes(built: GraphQLSchema): GraphQLSchema {
  const query = built.getQueryType();
  const mutation = built.getMutationType();
  if (query) query.description = ROOT_DESCRIPTIONS.query;
  if (mutation) mutation.description = ROOT_DESCRIPTIONS.mutation;
  return built;
}

/**
 * The GraphQL schema, built once per process. It holds no service instances: resolvers (and
 * idempotency policies) come from the request's container, so several servers (tests, instances)
 * can share one schema.
 */
export function buildOrderGateSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({
    // A record of several classes: never empty, as buildSchema's type asks.
    resolvers: Object.values(RESOLVERS) as NonEmptyArray<(typeof RESOLVERS)[keyof typeof RESOLVERS]>,
    authChecker,
    // `@idempotent(key:)` on an operation's field carries the key (graphql-idempotency reads it).
    // Naming directives replaces graphql-js's defaults, so the spec's own (@skip, @include,
    // @deprecated, @specifiedBy…) are named too: without them Apollo Client's
    // `@include(if: $x)` failed validation (found from outside, stop 39).
    directives: [...specifiedDirectives, idempotentDirective],
    // The contract names its date scalar `DateTime` (ISO 8601 strings).
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    // Inputs are validated by the services, which answer with typed union members.
    validate: false,
    container: ({ context }: { context: GraphQLContext }) => context.container,
  }).then(describeRootTypes);
  return schema;
}
