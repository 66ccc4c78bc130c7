import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_SEMANTIC_WINDOW_MS } from '../src/config/semantic-duplicate-policy';
import { survivingDroppedConnections } from '../src/db/dropped-connections';
import { poolTransactions } from '../src/db/transactions';
import type { Transactions } from '../src/db/transactions';
import { staticDuplicateRule } from '../src/orders/duplicate-decision';
import { runOrderTransaction } from '../src/orders/order-write';
import { SalesChannel } from '../src/sales-channel/sales-channel.type';
import type { Answer, Sender } from './load/drivers';
import { minimalAnswer } from './raw-minimal';
import { hotOrder, linesFor, newHotIntent, newIntent } from './scenarios';
import type { BenchFixtures } from './scenarios';

/**
 * The floor of `create`: the server's own order transaction (runOrderTransaction, the same function, with
 * the server's default semantic policy HOLD, a 10-minute window and today's rule, as without a risk model), on a pg pool of the same size,
 * with no claim, no GraphQL, no HTTP and no Prisma. Because it runs the same code, it cannot drift
 * from what the server does (test/bench/raw-sql-floor.test.ts counts the statements of both).
 */
/** Today's rule, as the server decides without a risk model. */
const STATIC_RULE = staticDuplicateRule('HOLD', DEFAULT_SEMANTIC_WINDOW_MS);

export async function placeRawOrder(
  transactions: Transactions,
  customerId: string,
  key: string,
  lines: { sku: string; quantity: number }[],
): Promise<Answer> {
  const outcome = await runOrderTransaction(transactions, {
    customerId,
    idempotencyKey: key,
    // Raw SQL does not fingerprint: any 64 characters take the column's place.
    fingerprint: randomBytes(32).toString('hex'),
    request: { currency: 'EUR', channel: SalesChannel.WEB, lines },
    orderTokenId: null,
    policy: 'HOLD',
    windowMs: DEFAULT_SEMANTIC_WINDOW_MS,
    decide: STATIC_RULE,
    confirmed: false,
    audit: { requestId: 'raw-sql', claim: 'none', startedAt: performance.now() },
  });
  if (outcome.kind !== 'created') throw new Error('raw-sql keys are unique: the insert must not conflict');
  return { outcome: 'sql', ok: true };
}

/**
 * raw-sql and raw-hot load: a pg pool as large as the server's, shared by every worker, as the
 * server's is. `write-order` runs the server's own transaction over spread SKUs (raw-sql);
 * `minimal-hot` the minimal transaction on the one hot SKU (raw-hot).
 */
export class RawSqlLoad {
  private readonly pool: pg.Pool;
  private readonly transactions: Transactions;

  constructor(
    databaseUrl: string,
    poolSize: number,
    private readonly fixtures: BenchFixtures,
    private readonly mode: 'write-order' | 'minimal-hot' = 'write-order',
  ) {
    this.pool = survivingDroppedConnections(
      new pg.Pool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5_000 }),
    );
    this.transactions = poolTransactions(this.pool);
  }

  /** The sender of worker `worker`; keys carry `pointId` so that every point writes new orders. */
  sender(worker: number, pointId: string): Sender {
    if (this.mode === 'minimal-hot') {
      return (sequence) => {
        const { customer, line } = hotOrder(this.fixtures, newHotIntent());
        const key = `${this.fixtures.runId}-${pointId}-${worker}-${sequence}`;
        return minimalAnswer(this.pool, `bench-customer-${customer}`, key, line);
      };
    }
    return (sequence) => {
      const customer = `bench-customer-${worker % this.fixtures.tokens.length}`;
      return placeRawOrder(
        this.transactions,
        customer,
        `${this.fixtures.runId}-${pointId}-${worker}-${sequence}`,
        linesFor(this.fixtures, newIntent()),
      );
    };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
