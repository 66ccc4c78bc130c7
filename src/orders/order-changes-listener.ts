import pg from 'pg';
import { pgRunner } from '../db/sql-runner';
import { throttledWarning } from '../observability/throttled-log';
import { connectionErrorDetails } from '../redis/redis-outage-log';
import { CHANGING_ORDERS_BATCH, ORDER_CHANGES_CHANNEL } from './order-changes';
import type { HeardMoment } from './order-changes';
import type { OrderChangesCatchUp } from './order-changes-catch-up';
import { endClient, heartbeatHeard, newHeartbeat } from './order-changes-connection';
import type { Heartbeat } from './order-changes-connection';
import { OrderChangesForgets } from './order-changes-forgets';
import type { OrderChangesForgetsOptions } from './order-changes-forgets';

/** Options of the listener. */
export interface OrderChangesListenerOptions extends OrderChangesForgetsOptions {
  /**
   * DATABASE_LISTEN_URL (default DATABASE_URL): a session of its own (LISTEN does not survive a
   * pooler in transaction mode), on which the changed orders are read too.
   */
  databaseUrl: string;
  /** First and longest pause before connecting again (ms). Defaults 100 and 5 000. */
  retryMs?: { first: number; max: number };
  /**
   * How long a connection must stay up before the pause goes back to its first value (ms). Default
   * 30 000: a connection killed right after it listens (idle_session_timeout, a pooler) is not made
   * again every 100 ms forever.
   */
  stableMs?: number;
  /**
   * How often the connection proves it still hears (ms), and how long each proof may take before
   * the connection is ended and made again. Defaults 30 000 and 10 000.
   */
  heartbeatMs?: { interval: number; timeout: number };
  /** What the region did not hear while its listeners were down, read on each new connection. */
  catchUp?: OrderChangesCatchUp;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One dedicated connection per server that LISTENs on the order-changes channel and, for each
 * order changed anywhere (any instance, any region: they share the database), forgets its
 * createOrder replay in this region's Redis, only where the key is held (OrderReplays.forgetIfHeld).
 * The instance that made the change forgot it already: it forgets again, harmlessly (one more
 * Redis write per change and instance). A lost connection is made again with a growing pause;
 * what was announced while it was down is not heard again, but each new connection (the first
 * too) catches up from the region's watermark once it LISTENs, and every heartbeat heard moves the
 * watermark (order-changes-catch-up.ts, docs/scaling.md#regions), unless a read or forget failed
 * since it last moved: then the catch-up is due again instead, and it moves the watermark once done.
 *
 * The ids heard are read on that connection, up to CHANGING_ORDERS_BATCH per statement and one
 * statement at a time, never on the background pool: one read per id there made a burst of 20,000
 * notifications (one statement can send them) starve /readyz's `SELECT 1` on every server of every
 * region (503 "postgres down" three probes in a row). What arrives while a batch is read waits, and
 * joins the next one.
 *
 * A receive-only connection never notices a peer that vanished without closing it (a failover that
 * moved a virtual IP, a NAT that dropped an idle flow), and TCP keepalive would tell only after the
 * OS default of 2 hours: keepalive starts after 10 s here, and every 30 s the listener notifies
 * itself on the channel (a marker payload the other listeners ignore) and must hear it back within
 * 10 s, or the connection is ended and made again (`order_gate_order_change_listening` is 0 meanwhile).
 */
export class OrderChangesListener {
  /** The connection made or being made; `listening` once its LISTEN has answered. */
  private client: pg.Client | null = null;
  private listening = false;
  private closed = false;
  /** Ids heard and not read yet, in the order heard (a Set: an id announced twice is read once). */
  private readonly heard = new Set<string>();
  /** The batches being read and forgotten, while they are. */
  private draining: Promise<void> | null = null;
  /** The catch-up of this connection: a failed one is due again when the next heartbeat is heard. */
  private catchUpOf: { client: pg.Client; state: 'due' | 'running' | 'done' | 'failed' } | null = null;
  /** A heartbeat heard on that connection at that moment: the watermark moves there once all heard is forgotten. */
  private heardUpTo: { client: pg.Client; moment: HeardMoment } | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  /** The connection attempt under way, if any. */
  private connecting: Promise<void> | null = null;
  private pauseMs: number;
  private readonly retryMs: { first: number; max: number };
  private readonly heartbeatMs: { interval: number; timeout: number };
  private readonly warnConnection: (details: Record<string, unknown>) => void;
  private readonly warnCatchUp: (details: Record<string, unknown>) => void;
  private readonly forgets: OrderChangesForgets;

  constructor(private readonly options: OrderChangesListenerOptions) {
    this.retryMs = options.retryMs ?? { first: 100, max: 5_000 };
    this.pauseMs = this.retryMs.first;
    this.heartbeatMs = options.heartbeatMs ?? { interval: 30_000, timeout: 10_000 };
    this.warnConnection = throttledWarning(
      options.logger,
      'order changes: LISTEN connection lost, connecting again (changes made meanwhile elsewhere are caught up on then)',
    );
    this.warnCatchUp = throttledWarning(
      options.logger,
      'order changes: could not catch up on what this region did not hear: tried again at the next heartbeat',
    );
    this.forgets = new OrderChangesForgets(options);
  }

  /** Connects and listens; resolves once listening or once the first attempt failed (it goes on trying). */
  async start(): Promise<void> {
    await this.attempt();
  }

  /** connect(), remembered while under way: close() waits for it. */
  private attempt(): Promise<void> {
    const attempt = this.connect().finally(() => {
      if (this.connecting === attempt) this.connecting = null;
    });
    this.connecting = attempt;
    return attempt;
  }

  /** Stops listening: the connection (made or being made) ended, the batch in flight settled, nothing read after. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.heard.clear();
    const client = this.client;
    const listening = this.listening;
    this.client = null;
    this.listening = false;
    this.options.metrics.orderChangeListening.set(0);
    // A connection still being made has nothing to say goodbye to: its socket goes at once, and
    // the attempt fails (quietly: closed) instead of waiting for its 5 s connection timeout.
    if (client && listening) await endClient(client);
    else client?.connection.stream.destroy();
    await this.connecting;
    await this.draining;
  }

  private async connect(): Promise<void> {
    this.retryTimer = null;
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.options.databaseUrl,
      application_name: 'order-gate-order-changes',
      // A dead peer is found by the heartbeat, or by TCP keepalive (probes after 10 s idle, not the
      // OS default of 2 hours); a connection attempt that hangs gives up and retries.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 5_000,
    });
    this.client = client;
    let lost = false;
    const timers: { heartbeat?: NodeJS.Timeout; stable?: NodeJS.Timeout } = {};
    /** The marker of the heartbeat in flight, and whether it was heard. */
    let beat: Heartbeat | undefined;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      clearInterval(timers.heartbeat);
      clearTimeout(timers.stable);
      if (this.client === client) {
        this.client = null;
        this.listening = false;
        this.options.metrics.orderChangeListening.set(0);
      }
      void endClient(client);
      if (this.closed) return;
      this.warnConnection({ err: error, retryInMs: this.pauseMs });
      this.retryTimer = setTimeout(() => void this.attempt(), this.pauseMs);
      this.pauseMs = Math.min(this.pauseMs * 2, this.retryMs.max);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      const orderId = message.payload ?? '';
      if (beat && orderId === beat.marker) beat.heard = true;
      if (message.channel !== ORDER_CHANGES_CHANNEL || !UUID.test(orderId)) return;
      this.heard.add(orderId);
      this.drain();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${ORDER_CHANGES_CHANNEL}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    // Closed meanwhile: close() ended this client already.
    if (this.closed || lost) return;
    this.listening = true;
    this.options.metrics.orderChangeListens.inc();
    this.options.metrics.orderChangeListening.set(1);
    timers.heartbeat = setInterval(() => {
      if (beat) return; // the last one is still being waited for (its timeout ends the connection)
      beat = newHeartbeat();
      void heartbeatHeard(client, beat, this.heartbeatMs.timeout).then((moment) => {
        beat = undefined;
        if (moment === null)
          onLost(new Error(`order changes: no heartbeat heard within ${this.heartbeatMs.timeout} ms`));
        else this.heartbeatWasHeard(client, moment);
      });
    }, this.heartbeatMs.interval);
    timers.heartbeat.unref();
    timers.stable = setTimeout(() => (this.pauseMs = this.retryMs.first), this.options.stableMs ?? 30_000);
    timers.stable.unref();
    // First what this region may have missed, then ids heard on the connection lost before this one.
    if (this.options.catchUp) this.catchUpOf = { client, state: 'due' };
    this.drain();
  }

  /** Reads and forgets what was heard, a batch at a time, unless that is under way already. */
  private drain(): void {
    if (this.draining || this.closed) return;
    this.draining = (async () => {
      // One socket read brings hundreds of notifications, handed over one by one in this tick: a
      // batch starts after them.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.listening && this.client && !this.closed && (this.due() || this.heard.size > 0)) {
        if (this.due()) await this.catchUp(this.client);
        else await this.forgets.batch(this.client, this.takeBatch(), () => this.closed);
      }
      // Everything heard before the heartbeat is forgotten now, unless a read or forget failed since
      // the watermark last moved: then a catch-up reads those changes again, and only it moves on.
      const upTo = this.heardUpTo;
      if (upTo && upTo.client === this.client && this.listening && this.heard.size === 0) {
        this.heardUpTo = null;
        if (this.forgets.clearFailed()) this.catchUpOf = { client: upTo.client, state: 'due' };
        else await this.options.catchUp?.heard(pgRunner(upTo.client), upTo.moment);
      }
    })().finally(() => {
      this.draining = null;
      // Heard after the loop's last look, and the connection still up: another round.
      if ((this.heard.size > 0 || this.due()) && this.listening) this.drain();
    });
  }

  private due(): boolean {
    return this.catchUpOf?.state === 'due' && this.catchUpOf.client === this.client;
  }

  private async catchUp(client: pg.Client): Promise<void> {
    const catchUp = { client, state: 'running' as 'running' | 'done' | 'failed' };
    this.catchUpOf = catchUp;
    // What failed before is read again by this catch-up (it ends after what was heard then).
    this.forgets.clearFailed();
    try {
      await this.options.catchUp?.run(pgRunner(client), (orders) => this.forgets.all(orders));
      catchUp.state = 'done';
    } catch (error) {
      catchUp.state = 'failed';
      // It reads PostgreSQL and its forgets write to Redis: either, unreachable, is said without a stack.
      if (!this.closed) this.warnCatchUp(connectionErrorDetails(error));
    }
  }

  /** Until this connection has caught up, nothing moves the watermark: a heartbeat retries a failed catch-up. */
  private heartbeatWasHeard(client: pg.Client, moment: HeardMoment): void {
    const catchUp = this.catchUpOf;
    if (!catchUp || catchUp.client !== client || this.client !== client) return;
    if (catchUp.state === 'done') this.heardUpTo = { client, moment };
    else if (catchUp.state === 'failed') catchUp.state = 'due';
    this.drain();
  }

  /** The first CHANGING_ORDERS_BATCH ids heard, taken out (without copying the rest: a backlog may hold millions). */
  private takeBatch(): string[] {
    const batch: string[] = [];
    for (const orderId of this.heard) {
      if (batch.length === CHANGING_ORDERS_BATCH) break;
      batch.push(orderId);
    }
    for (const orderId of batch) this.heard.delete(orderId);
    return batch;
  }
}
