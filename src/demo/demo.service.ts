import { signViewerToken } from '../auth/jwt';
import type { PrismaClient } from '../db/prisma';

/** The products the demo checkout offers; created with this stock when missing, never overwritten. */
export const DEMO_PRODUCTS = [
  { sku: 'DEMO-TEA', name: 'Green tea, 100 g', priceCents: 450, stock: 500 },
  { sku: 'DEMO-MUG', name: 'Stoneware mug', priceCents: 1_200, stock: 200 },
  { sku: 'DEMO-HONEY', name: 'Forest honey, 250 g', priceCents: 790, stock: 300 },
] as const;

const CUSTOMER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** How long a demo session's bearer token lasts. */
const SESSION_LIFETIME_MS = 60 * 60_000;

/** A demo shopper's session: who they are, their bearer token and when it expires, and what they can buy. */
export interface DemoSession {
  customerId: string;
  token: string;
  /** When `token` expires (ISO 8601): the page keeps the session for the tab's life and starts a new one before. */
  expiresAt: string;
  skus: string[];
}

/**
 * What the development-only demo checkout needs from the server: a bearer token for a made-up
 * shopper and a catalog to shop from. Never wired in production (see createApp).
 */
export class DemoService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly jwtSecret: string,
  ) {}

  /** A session for `customerId`, or null when the id is not 1–64 characters of A-Z a-z 0-9 _ -. */
  async startSession(customerId: string): Promise<DemoSession | null> {
    if (!CUSTOMER_ID_PATTERN.test(customerId)) return null;
    await this.ensureDemoProducts();
    const expiresAt = new Date(Math.floor((Date.now() + SESSION_LIFETIME_MS) / 1000) * 1000);
    const token = await signViewerToken({ customerId, role: 'customer' }, this.jwtSecret, {
      expiresIn: expiresAt.getTime() / 1000,
    });
    return { customerId, token, expiresAt: expiresAt.toISOString(), skus: DEMO_PRODUCTS.map((product) => product.sku) };
  }

  private async ensureDemoProducts(): Promise<void> {
    for (const product of DEMO_PRODUCTS) {
      await this.prisma.$executeRaw`
        INSERT INTO "Product" ("id", "sku", "name", "priceCents", "currency", "stock", "updatedAt")
        VALUES (gen_random_uuid(), ${product.sku}, ${product.name}, ${product.priceCents}, 'EUR', ${product.stock}, now())
        ON CONFLICT ("sku") DO NOTHING`;
    }
  }
}
