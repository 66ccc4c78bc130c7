import type { Redis } from 'ioredis';

/** The keys Redis says changed (written, deleted, expired, evicted); null: everything (FLUSHDB, a connection lost). */
export type InvalidationListener = (keys: readonly string[] | null) => void;

/** The channel Redis publishes a tracked key's invalidation on (RESP2 redirect mode). */
export const INVALIDATE_CHANNEL = '__redis__:invalidate';

/**
 * Redis server-assisted client-side caching (`CLIENT TRACKING`, RESP2 redirect mode) on one
 * standalone server: Redis remembers every key `reader` reads, and when any client then changes
 * one of them (a write, a Lua script's write, a deletion, an expiry, an eviction) it publishes the
 * key on `__redis__:invalidate` to `subscriber`. Redis sends the invalidation as it executes the
 * write, before the writer's own reply, so a change reaches every process at once.
 *
 * A value read through `reader` may be kept only while tracking is live (`isLive(epoch)`, with the
 * epoch taken before the read): both connections up, `subscriber` subscribed, and `reader`
 * tracking with its invalidations redirected to it. Losing either connection ends it: Redis drops
 * a closed reader's tracking, and sends a closed subscriber's invalidations nowhere, so the
 * listener is told to forget everything (null) and the epoch moves on, so that a read begun before
 * can never be kept after. Tracking starts again once both are back.
 *
 * Not for Redis Cluster: a tracked key's invalidation comes from the node that holds it, so each
 * node would need a subscriber of its own (not done: the claim store then goes without a cache).
 */
export class RedisTracking {
  private epochNow = 0;
  /** The epoch tracking went live in; -1 while it is not. */
  private liveEpoch = -1;
  /** The subscriber connection's CLIENT ID while it is subscribed. */
  private subscriberId: number | undefined;
  /** Set-ups run one after the other (a subscribed connection takes no CLIENT ID). */
  private settingUp: Promise<void> = Promise.resolve();
  private readonly unlisten: (() => void)[] = [];

  constructor(
    /** The connection whose reads are tracked; used for nothing else (every read of it is tracked). */
    readonly reader: Redis,
    /** Receives the invalidations; created with `autoResubscribe: false` (it subscribes itself). */
    private readonly subscriber: Redis,
    private readonly onInvalidate: InvalidationListener,
    /** Told when tracking could not be set up (it is retried when a connection is ready again). */
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Listens to both connections and sets tracking up as soon as both are ready. */
  start(): void {
    this.listen(this.reader, 'close', () => this.lose());
    this.listen(this.subscriber, 'close', () => {
      this.subscriberId = undefined;
      this.lose();
    });
    // Each failed (re)connection is an 'error' event, which ioredis prints with its stack when
    // nothing listens. These connections are this store's own (often `redis.duplicate()`, made
    // inline): their loss is handled on 'close', and the outage is the main client's to report.
    for (const connection of [this.reader, this.subscriber]) this.listen(connection, 'error', () => undefined);
    this.listen(this.reader, 'ready', () => this.setUp());
    this.listen(this.subscriber, 'ready', () => this.setUp());
    this.listen(this.subscriber, 'messageBuffer', (channel: unknown, message: unknown) => {
      if (String(channel) === INVALIDATE_CHANNEL) this.onInvalidate(keysOf(message));
    });
    this.setUp();
  }

  /** Changes with every loss and every new set-up: take it before a read, check it with isLive after. */
  get epoch(): number {
    return this.epochNow;
  }

  /** True when tracking is live and has been since `epoch`: a value read since may be kept. */
  isLive(epoch = this.epochNow): boolean {
    return this.liveEpoch === epoch && epoch === this.epochNow;
  }

  /** Stops listening and closes both connections. */
  close(): void {
    for (const unlisten of this.unlisten.splice(0)) unlisten();
    this.lose();
    this.reader.disconnect();
    this.subscriber.disconnect();
  }

  private lose(): void {
    this.epochNow += 1;
    this.liveEpoch = -1;
    this.onInvalidate(null);
  }

  private setUp(): void {
    this.settingUp = this.settingUp.then(() => this.trySetUp());
  }

  private async trySetUp(): Promise<void> {
    if (this.reader.status !== 'ready' || this.subscriber.status !== 'ready') return;
    this.lose();
    const epoch = this.epochNow;
    try {
      if (this.subscriberId === undefined) {
        const id = await this.subscriber.client('ID');
        await this.subscriber.subscribe(INVALIDATE_CHANNEL);
        if (epoch !== this.epochNow) return;
        this.subscriberId = id;
      }
      // Subscribed first: Redis delivers a RESP2 redirect's invalidations to a subscribed client only.
      await this.reader.client('TRACKING', 'ON', 'REDIRECT', String(this.subscriberId));
      if (epoch === this.epochNow) this.liveEpoch = epoch;
    } catch (error) {
      this.onError(error);
    }
  }

  private listen(redis: Redis, event: string, listener: (...args: unknown[]) => void): void {
    redis.on(event, listener);
    this.unlisten.push(() => redis.off(event, listener));
  }
}

/** An invalidation's payload: an array of keys, or null when Redis flushed the database. */
function keysOf(message: unknown): string[] | null {
  if (Array.isArray(message)) return message.map(String);
  return Buffer.isBuffer(message) ? [message.toString()] : null;
}
