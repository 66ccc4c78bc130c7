/** Roles a bearer token may carry (claim `role`). */
export type Role = 'customer' | 'admin';

/** The authenticated caller of a request. */
export interface Viewer {
  /** The customer's id: the token's `sub`. Orders and idempotency keys are scoped to it. */
  customerId: string;
  role: Role;
}
