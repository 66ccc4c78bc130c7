import pg from 'pg';
import type { SqlRunner } from '../db/sql-runner';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { throttledWarning } from '../observability/throttled-log';
import { callStore } from '../stores/store-call';
import type { StoreCallPolicy } from '../stores/store-call';
import { ORDER_CHANGES_CHANNEL, changingOrder } from './order-changes';
import type { OrderReplays } from './order-replays';

/** Options of the listener. */
export interface OrderChangesListenerOptions {
  /** DATABASE_URL: a session of its own (LISTEN does not survive a pooler in transaction mode). */
  databaseUrl: string;
  /** Where each changed order is read (the background pool). */
  reads: SqlRunner;
  /** This region's claims. */
  replays: OrderReplays;
  /** Budget and failure report of each forget (REDIS_TIMEOUT_MS). */
  storeCalls: Pick<StoreCallPolicy, 'timeoutMs'>;
  metrics: Metrics;
  logger: Logger;
  /** First and longest pause before connecting again (ms). Defaults 100 and 5 000. */
  retryMs?: { first: number; max: number };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One dedicated connection per server that LISTENs on the order-changes channel and, for each
 * order changed anywhere (any instance, any region: they share the database), forgets its
 * createOrder replay in this region's Redis, only where the key is held (OrderReplays.forgetIfHeld).
 * The instance that made the change forgot it already: it forgets again, harmlessly (one more
 * Redis write per change and instance). A lost connection is made again with a growing pause;
 * what was announced while it was down is not heard again (docs/scaling.md#regions).
 */
export class OrderChangesListener {
  private client: pg.Client | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private pauseMs: number;
  private readonly retryMs: { first: number; max: number };
  private readonly warnConnection: (details: Record<string, unknown>) => void;
  private readonly warnForget: (details: Record<string, unknown>) => void;

  constructor(private readonly options: OrderChangesListenerOptions) {
    this.retryMs = options.retryMs ?? { first: 100, max: 5_000 };
    this.pauseMs = this.retryMs.first;
    this.warnConnection = throttledWarning(
      options.logger,
      'order changes: LISTEN connection lost, connecting again (changes made meanwhile elsewhere are not heard)',
    );
    this.warnForget = throttledWarning(
      options.logger,
      'order changes: could not forget a changed order’s replay in this region: it expires with its claim',
    );
  }

  /** Connects and listens; resolves once listening or once the first attempt failed (it goes on trying). */
  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    this.retryTimer = null;
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.options.databaseUrl,
      application_name: 'order-gate-order-changes',
      // A dead peer is found by TCP keepalive; a connection attempt that hangs gives up and retries.
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
    });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.warnConnection({ err: error, retryInMs: this.pauseMs });
      this.retryTimer = setTimeout(() => void this.connect(), this.pauseMs);
      this.pauseMs = Math.min(this.pauseMs * 2, this.retryMs.max);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === ORDER_CHANGES_CHANNEL) void this.heard(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${ORDER_CHANGES_CHANNEL}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.pauseMs = this.retryMs.first;
    this.options.metrics.orderChangeListens.inc();
  }

  /** One change: read the order as committed, forget its replay here; counted by outcome. */
  private async heard(orderId: string): Promise<void> {
    const { metrics, reads, replays, storeCalls } = this.options;
    if (!UUID.test(orderId)) return;
    const order = await changingOrder(reads, orderId).catch((error: unknown) => {
      this.warnForget({ err: error, orderId });
      return undefined;
    });
    if (order === undefined) return metrics.orderChangeNotices.inc({ outcome: 'failed' });
    if (order === null) return;
    const forgotten = await callStore(
      { timeoutMs: storeCalls.timeoutMs, onFailure: (_operation, error) => this.warnForget({ err: error, orderId }) },
      'forget-replay-notified',
      () => replays.forgetIfHeld(order),
    );
    const outcome = !forgotten.ok ? 'failed' : forgotten.value ? 'forgotten' : 'absent';
    metrics.orderChangeNotices.inc({ outcome });
  }
}
