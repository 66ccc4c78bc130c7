import { createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
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

/**
 * The viewer named by an `Authorization: Bearer <JWT>` header, or null when the header is
 * missing or the token is not acceptable: wrong algorithm (including `none`), bad signature,
 * expired, not yet valid, or without a string `sub` and a known `role`.
 */
export async function viewerFromAuthorization(header: string | undefined, secret: string): Promise<Viewer | null> {
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, secretKey(secret), { algorithms: [ALGORITHM] });
    const role = payload['role'];
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 128) return null;
    if (typeof role !== 'string' || !ROLES.includes(role as Role)) return null;
    return { customerId: payload.sub, role: role as Role };
  } catch {
    return null;
  }
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
