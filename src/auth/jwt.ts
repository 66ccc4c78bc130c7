import { createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { isCustomerId } from './viewer';
import type { Role, Viewer } from './viewer';

const ALGORITHM = 'HS256';
const ROLES: readonly Role[] = ['customer', 'admin'];

/** Key objects by secret: made once, not for every request (a server has one secret; tests a few). */
const keys = new Map<string, KeyObject>();

function secretKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/** Tokens whose verification is remembered, per secret (a client sends the same token with every request). */
const MAX_VERIFIED_TOKENS = 10_000;

/** A token that verified: its viewer, until its `exp` (epoch ms; Infinity without one). */
interface Verified {
  viewer: Viewer;
  expiresAt: number;
}

/**
 * Verified tokens by secret. Verifying costs about 50 µs of CPU (HMAC, base64url and JSON, by
 * `--cpu-prof`: 9 % of a `{ __typename }` request's server CPU), paid again by every request with
 * the same token. A token's verdict cannot change before its `exp` (nothing here revokes a token;
 * `nbf` in the future was refused and so is not remembered), so an accepted token is answered from
 * here, by its exact text, until then. Refusals are not remembered.
 */
const verifiedBySecret = new Map<string, LRUCache<string, Verified>>();

function verifiedTokens(secret: string): LRUCache<string, Verified> {
  let verified = verifiedBySecret.get(secret);
  if (!verified) verifiedBySecret.set(secret, (verified = new LRUCache({ max: MAX_VERIFIED_TOKENS })));
  return verified;
}

/**
 * Why a request names nobody: no bearer token, a genuine token past its `exp` (the client should
 * get a new one), or a token that is not acceptable.
 */
export type AuthenticationRefusal = 'missing' | 'expired' | 'invalid';

/** The viewer a request's `Authorization` header names, or why it names nobody. */
export type Authentication = { viewer: Viewer; refusal?: undefined } | { viewer: null; refusal: AuthenticationRefusal };

/**
 * Reads an `Authorization: Bearer <JWT>` header. Refused (`invalid`): wrong algorithm (including
 * `none`), bad signature, not yet valid, without `exp`, or without a string `sub` (not blank) and a
 * known `role`; `expired` only once the signature has verified, so the answer tells a forger
 * nothing. The `sub` is the customer's id, stored with every order and key: isCustomerId, or it
 * names nobody.
 */
export async function authenticate(header: string | undefined, secret: string): Promise<Authentication> {
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) return { viewer: null, refusal: 'missing' };
  const verified = verifiedTokens(secret);
  const known = verified.get(token);
  // jose's rule: expired once `exp` is at or before the current second.
  if (known && Date.now() < known.expiresAt) return { viewer: { ...known.viewer } };
  try {
    // `exp` required: a token that never expires cannot be taken back short of changing the secret.
    const { payload } = await jwtVerify(token, secretKey(secret), { algorithms: [ALGORITHM], requiredClaims: ['exp'] });
    const role = payload['role'];
    const sub = payload.sub;
    if (typeof sub !== 'string' || !isCustomerId(sub)) return { viewer: null, refusal: 'invalid' };
    if (typeof role !== 'string' || !ROLES.includes(role as Role)) return { viewer: null, refusal: 'invalid' };
    const viewer: Viewer = { customerId: sub, role: role as Role };
    verified.set(token, { viewer, expiresAt: (payload.exp as number) * 1000 });
    return { viewer: { ...viewer } };
  } catch (error) {
    // jose checks the claims (exp) only after the signature.
    return { viewer: null, refusal: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

/** The UNAUTHENTICATED answer's message, the same through GraphQL and REST. */
export function unauthenticatedMessage(refusal: AuthenticationRefusal | undefined): string {
  return refusal === 'expired'
    ? 'The bearer token has expired: a valid one is required.'
    : 'A valid bearer token is required.';
}

/** Options of {@link signViewerToken}. */
export interface SignOptions {
  /** Lifetime, as jose reads it (`'1h'`, `'15m'`) or seconds since the epoch. Default `'1h'`. */
  expiresIn?: string | number;
}

/** Signs a token for a viewer: used by `npm run token` and by the tests. */
export async function signViewerToken(viewer: Viewer, secret: string, options: SignOptions = {}): Promise<string> {
  return new SignJWT({ role: viewer.role })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(viewer.customerId)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(secretKey(secret));
}
