/** Roles a bearer token may carry (claim `role`). */
export type Role = 'customer' | 'admin';

/**
 * The longest customer id (1 to this many characters): a bearer token's `sub`, a webhook's or a POS
 * file's customer. One length everywhere, so that every customer an order names can sign in.
 */
export const MAX_CUSTOMER_ID_LENGTH = 128;

/** The authenticated caller of a request. */
export interface Viewer {
  /** The customer's id: the token's `sub`. Orders and idempotency keys are scoped to it. */
  customerId: string;
  role: Role;
}
