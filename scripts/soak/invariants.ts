import { Client } from 'pg';
import type { ClientResult, SoakIntent } from './clients';
import { SOAK_CART, SOAK_SKUS, SOAK_STOCK_PER_SKU } from './deployment';

export interface Violation {
  /** Milliseconds since the run started. */
  at: number;
  invariant:
    | 'one order per intent'
    | 'no acknowledged order lost'
    | 'one order id per intent'
    | 'no partial order'
    | 'stock conserved'
    | 'every client final';
  detail: string;
}

/**
 * The run's invariants. Live: a client given another id than its twin, acknowledged orders that
 * the primary does not have, stock that does not add up. At the end: all of them over every intent.
 */
export class InvariantChecker {
  readonly violations: Violation[] = [];
  private readonly idsByIntent = new Map<number, Set<string>>();
  private uncheckedAcknowledgements: { intent: SoakIntent; orderId: string }[] = [];
  liveChecks = 0;

  constructor(private readonly startedAt: number) {}

  /** A client's final answer: both clients of an intent must be given the same order. */
  onFinal(result: ClientResult): void {
    if (!result.orderId) return;
    const ids = this.idsByIntent.get(result.intent.index) ?? new Set<string>();
    ids.add(result.orderId);
    this.idsByIntent.set(result.intent.index, ids);
    if (ids.size === 2)
      this.violate('one order id per intent', `intent ${result.intent.index}: ${[...ids].join(' and ')}`);
    this.uncheckedAcknowledgements.push({ intent: result.intent, orderId: result.orderId });
  }

  /** Every acknowledged order since the last check exists on the primary; stock adds up. */
  async checkLive(databaseUrl: string): Promise<void> {
    const batch = this.uncheckedAcknowledgements;
    this.uncheckedAcknowledgements = [];
    try {
      await withClient(databaseUrl, async (client) => {
        await this.expectAcknowledgedExist(client, batch);
        await this.expectStockConserved(client);
      });
      this.liveChecks++;
    } catch {
      // The database is down (a fault): check these next time.
      this.uncheckedAcknowledgements.push(...batch);
    }
  }

  /** Everything, over every intent, once the clients are done. */
  async checkFinal(
    databaseUrl: string,
    results: readonly ClientResult[],
    intents: readonly SoakIntent[],
  ): Promise<void> {
    for (const result of results)
      if (!result.orderId) this.violate('every client final', `intent ${result.intent.index}: ${result.outcome}`);
    await withClient(databaseUrl, async (client) => {
      await this.expectAcknowledgedExist(client, [
        ...results.flatMap((result) => (result.orderId ? [{ intent: result.intent, orderId: result.orderId }] : [])),
      ]);
      await this.expectStockConserved(client);
      const { rows } = await client.query<{ key: string; orders: number; whole: number }>(
        `SELECT o."idempotencyKey" AS key, count(DISTINCT o."id")::int AS orders,
                count(DISTINCT o."id") FILTER (WHERE w.whole)::int AS whole
           FROM "Order" o
           JOIN LATERAL (
             SELECT count(*) = $2 AND coalesce(sum(i."quantity" * i."unitPriceCents"), 0) = o."totalCents"
                    AND coalesce(sum(i."quantity"), 0) = $3 AS whole
               FROM "OrderItem" i WHERE i."orderId" = o."id") w ON true
          WHERE o."idempotencyKey" = ANY($1)
          GROUP BY o."idempotencyKey"`,
        [intents.map((intent) => intent.key), SOAK_CART.lines, SOAK_CART.units],
      );
      const byKey = new Map(rows.map((row) => [row.key, row]));
      const answered = new Set(results.filter((result) => result.orderId).map((result) => result.intent.index));
      for (const intent of intents) {
        const row = byKey.get(intent.key);
        // An intent no client got an answer for may have no order: that is 'every client final'.
        const expected = answered.has(intent.index) ? [1] : [0, 1];
        if (!expected.includes(row?.orders ?? 0))
          this.violate('one order per intent', `intent ${intent.index}: ${row?.orders ?? 0} orders`);
        if (row && row.whole !== row.orders) this.violate('no partial order', `intent ${intent.index}`);
      }
    });
  }

  private async expectAcknowledgedExist(client: Client, batch: { intent: SoakIntent; orderId: string }[]) {
    if (batch.length === 0) return;
    const { rows } = await client.query<{ id: string; idempotencyKey: string }>(
      `SELECT "id", "idempotencyKey" FROM "Order" WHERE "id"::text = ANY($1::text[])`,
      [batch.map((entry) => entry.orderId)],
    );
    const keyOf = new Map(rows.map((row) => [row.id, row.idempotencyKey]));
    for (const { intent, orderId } of batch)
      if (keyOf.get(orderId) !== intent.key)
        this.violate('no acknowledged order lost', `intent ${intent.index}: order ${orderId} is not in the database`);
  }

  private async expectStockConserved(client: Client) {
    // One statement, one snapshot: stock and items are seen at the same instant.
    const { rows } = await client.query<{ sku: string; stock: number; ordered: number }>(
      `SELECT p."sku", p."stock", coalesce(sum(i."quantity"), 0)::int AS ordered
         FROM "Product" p LEFT JOIN "OrderItem" i ON i."productId" = p."id"
        WHERE p."sku" = ANY($1) GROUP BY p."id"`,
      [SOAK_SKUS],
    );
    for (const row of rows) {
      if (row.stock !== SOAK_STOCK_PER_SKU - row.ordered)
        this.violate(
          'stock conserved',
          `${row.sku}: ${row.stock} left, ${SOAK_STOCK_PER_SKU} - ${row.ordered} expected`,
        );
    }
  }

  private violate(invariant: Violation['invariant'], detail: string): void {
    this.violations.push({ at: Date.now() - this.startedAt, invariant, detail });
  }
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000, query_timeout: 30_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
