import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 'ot1';
/** 128 random bits, hex: the token's identity in Redis and in the Order table. */
const TOKEN_ID_BYTES = 16;
const TOKEN_PATTERN = /^ot1\.([0-9a-f]{32})\.([0-9a-z]{1,11})\.([A-Za-z0-9_-]{43})$/;

/** What a genuine token says about itself. */
export interface OrderTokenClaims {
  tokenId: string;
  expiresAt: Date;
}

/**
 * Self-verifying order tokens: `ot1.<random id>.<expiry>.<HMAC>`, the HMAC binding id, expiry and
 * customer. Validity, ownership and expiry can so be checked without Redis; Redis (and the
 * database's unique `orderTokenId`) only decide whether the token was already used.
 */
export class OrderTokenCodec {
  constructor(private readonly secret: string) {}

  /** A secret of its own for tokens, derived from the JWT secret so one secret is enough to run. */
  static deriveSecret(jwtSecret: string): string {
    return createHmac('sha256', jwtSecret).update('order-gate/order-token/v1').digest('hex');
  }

  mint(customerId: string, expiresAt: Date): { token: string; tokenId: string } {
    const tokenId = randomBytes(TOKEN_ID_BYTES).toString('hex');
    const expiry = expiresAt.getTime().toString(36);
    return { token: `${VERSION}.${tokenId}.${expiry}.${this.sign(tokenId, customerId, expiry)}`, tokenId };
  }

  /** The token's claims if this server minted it for this customer; null if malformed, forged or someone else's. */
  read(token: string, customerId: string): OrderTokenClaims | null {
    const match = TOKEN_PATTERN.exec(token);
    if (!match) return null;
    const [, tokenId, expiry, signature] = match as unknown as [string, string, string, string];
    const expected = Buffer.from(this.sign(tokenId, customerId, expiry));
    const given = Buffer.from(signature);
    // Equal lengths are guaranteed by the pattern; the comparison must not leak where they differ.
    if (!timingSafeEqual(expected, given)) return null;
    return { tokenId, expiresAt: new Date(parseInt(expiry, 36)) };
  }

  private sign(tokenId: string, customerId: string, expiry: string): string {
    return createHmac('sha256', this.secret)
      .update(JSON.stringify([VERSION, tokenId, customerId, expiry]))
      .digest('base64url');
  }
}
