import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { MemoryClaimStore } from 'graphql-idempotency';
import { MemoryTokenStore } from '../src/order-tokens/memory-token-store';
import { OrderStatus } from '../src/db/generated/enums';
import { replayOf } from '../src/orders/order-replay';
import { SalesChannel } from '../src/sales-channel/sales-channel.type';
import { DEFAULT_MAX_ENTRIES } from '../src/stores/ttl-cache';

/** What the embedded mode's in-process stores hold in memory after many completed keys. */
export interface EmbeddedMemoryReport {
  /** Entries each in-process store keeps at most. */
  maxEntries: number;
  /** Resident memory of this process before any key (MiB, after a full GC). */
  baselineRssMb: number;
  /** Keys completed (each with its replay: an order of two items) and tokens issued, and the memory after each step. */
  steps: { completedKeys: number; claimEntries: number; tokenEntries: number; rssMb: number; heapUsedMb: number }[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

function mb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

function settle(): { rssMb: number; heapUsedMb: number } {
  // --expose-gc: measure what is kept, not what is waiting for a collection.
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed) };
}

/**
 * `node --expose-gc dist/bench/embedded-memory.js [keys per step] [steps]`: completes keys in a
 * MemoryClaimStore (each with the replay a real order leaves) and issues as many order tokens in a
 * MemoryTokenStore, as the embedded mode's server does over a long run, and prints the memory.
 */
export async function measureEmbeddedMemory(keysPerStep = 100_000, steps = 2): Promise<EmbeddedMemoryReport> {
  const claims = new MemoryClaimStore();
  const tokens = new MemoryTokenStore();
  const report: EmbeddedMemoryReport = { maxEntries: DEFAULT_MAX_ENTRIES, baselineRssMb: settle().rssMb, steps: [] };
  let completed = 0;
  for (let step = 0; step < steps; step += 1) {
    for (let index = 0; index < keysPerStep; index += 1, completed += 1) {
      const scope = {
        operation: 'createOrder',
        scope: `customer-${completed % 5_000}`,
        key: `checkout-${randomUUID()}`,
      };
      const claim = {
        state: 'pending' as const,
        fingerprint: 'f'.repeat(64),
        owner: randomUUID(),
        claimedAt: Date.now(),
      };
      await claims.claim(scope, claim, 30_000);
      const orderId = randomUUID();
      const replay = replayOf({
        id: orderId,
        customerId: scope.scope,
        idempotencyKey: scope.key,
        fingerprint: claim.fingerprint,
        orderTokenId: null,
        status: OrderStatus.CONFIRMED,
        channel: SalesChannel.WEB,
        currency: 'EUR',
        totalCents: 1_350,
        createdAt: new Date(),
        shippingAddress: null,
        possibleDuplicateOfId: null,
        mergedIntoId: null,
        items: ['TEA-1', 'MUG-2'].map((sku) => ({
          orderId,
          productId: randomUUID(),
          sku,
          quantity: 1,
          unitPriceCents: 675,
        })),
      });
      await claims.complete(
        scope,
        claim,
        { state: 'completed', fingerprint: claim.fingerprint, resourceId: orderId, firstSeenAt: Date.now(), replay },
        DAY_MS,
      );
      await tokens.issue(randomUUID().replace(/-/g, ''), Date.now() + 10 * 60_000);
    }
    report.steps.push({ completedKeys: completed, claimEntries: claims.size, tokenEntries: tokens.size, ...settle() });
  }
  return report;
}

if (require.main === module) {
  const [keys, steps] = process.argv.slice(2).map(Number);
  measureEmbeddedMemory(keys || undefined, steps || undefined).then(
    (report) => console.log(JSON.stringify(report)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
