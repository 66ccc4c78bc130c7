import type { Viewer } from '../auth/viewer';
import type { Logger } from '../observability/logger';

/** Makes one request's instance of something (a DataLoader) on first use. */
export type PerRequest<T> = () => T;

/**
 * What every resolver of one request can reach, whatever built the request. Feature folders type
 * their `@Ctx()` with this; the GraphQL layer implements it.
 */
export interface RequestContext {
  readonly requestId: string;
  /** The authenticated caller, or null. */
  readonly viewer: Viewer | null;
  /** Carries the request id in every line. */
  readonly logger: Logger;
  /** The caller; throws UNAUTHENTICATED when there is none (`@Authorized()` checks first). */
  requireViewer(): Viewer;
  /**
   * This request's own instance made by `create` (the same function gives the same instance within
   * the request): DataLoaders live for one request, so batching never leaks data between callers.
   */
  perRequest<T>(create: PerRequest<T>): T;
}
