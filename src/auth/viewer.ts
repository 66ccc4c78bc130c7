import { isStorableText } from '../db/storable-text';

/** Roles a bearer token may carry (claim `role`). */
export type Role = 'customer' | 'admin';

/**
 * The longest customer id (1 to this many characters): a bearer token's `sub`, a webhook's or a POS
 * file's customer. One length everywhere, so that every customer an order names can sign in.
 */
export const MAX_CUSTOMER_ID_LENGTH = 128;

/**
 * Whether `text` can name a customer, as a bearer token's `sub`: 1 to MAX_CUSTOMER_ID_LENGTH
 * characters, not blank, of storable text (isStorableText: it is stored with every order and key).
 */
export function isCustomerId(text: string): boolean {
  return text.trim() !== '' && text.length <= MAX_CUSTOMER_ID_LENGTH && isStorableText(text);
}

/** The authenticated caller of a request. */
export interface Viewer {
  /** The customer's id: the token's `sub`. Orders and idempotency keys are scoped to it. */
  customerId: string;
  role: Role;
}
