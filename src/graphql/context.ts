import { GraphQLError } from 'graphql';
import type { ContainerType } from 'type-graphql';
import { unauthenticatedMessage } from '../auth/jwt';
import type { Authentication, AuthenticationRefusal } from '../auth/jwt';
import type { Viewer } from '../auth/viewer';
import type { IdempotencyEvent, IdempotencyGuard } from 'graphql-idempotency';
import type { IdempotencyContext } from 'graphql-idempotency/type-graphql';
import type { Logger } from '../observability/logger';
import type { PerRequest, RequestContext } from '../request/request-context';

/** What the composition root gives every request's context. */
export interface ContextDependencies {
  idempotencyGuard: IdempotencyGuard;
  /** Resolver and policy instances of this server (see buildOrderGateSchema). */
  container: ContainerType;
}

/** What every resolver and middleware of one GraphQL request can reach. */
export class GraphQLContext implements RequestContext, IdempotencyContext {
  readonly idempotencyGuard: IdempotencyGuard;
  readonly container: ContainerType;
  readonly idempotencyDecisions: IdempotencyEvent[] = [];
  private readonly instances = new Map<PerRequest<unknown>, unknown>();

  /** The caller, or null. */
  readonly viewer: Viewer | null;
  /** Why there is no caller (an expired token is told apart); undefined when there is one. */
  readonly authenticationRefusal: AuthenticationRefusal | undefined;

  constructor(
    readonly requestId: string,
    authentication: Authentication,
    readonly logger: Logger,
    dependencies: ContextDependencies,
  ) {
    this.viewer = authentication.viewer;
    this.authenticationRefusal = authentication.refusal;
    this.idempotencyGuard = dependencies.idempotencyGuard;
    this.container = dependencies.container;
  }

  requireViewer(): Viewer {
    if (!this.viewer)
      throw new GraphQLError(unauthenticatedMessage(this.authenticationRefusal), {
        extensions: { code: 'UNAUTHENTICATED' },
      });
    return this.viewer;
  }

  perRequest<T>(create: PerRequest<T>): T {
    if (!this.instances.has(create)) this.instances.set(create, create());
    return this.instances.get(create) as T;
  }
}
