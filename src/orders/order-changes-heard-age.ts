import type { HeardMoment } from './order-changes';

/**
 * How long ago, on the database's clock, the moment is up to which this instance last moved its
 * region's watermark (order_gate_order_change_heard_age_seconds). It falls each time the watermark
 * moves (at each heartbeat heard: normally to under a heartbeat's interval) and grows while it is
 * held: a write transaction of the app's role still open caps it at its start
 * (DATABASE_HEARD_UP_TO_MS), a catch-up or forget that failed keeps it, a listener down moves
 * nothing. Measured on the database's clock when the watermark moves, then on this process's
 * monotonic clock until it moves again: no clock skew between the two enters.
 */
export class HeardAge {
  /** The moment the watermark last moved to; until a first move, one of age 0 at the start. */
  private last: HeardMoment = { atMs: -Infinity, lagMs: 0, readAt: performance.now() };

  /**
   * The watermark was moved to `moment`, unless it was further already: like the watermark, the
   * age never goes back to an earlier moment (a transaction that began before the last moment and
   * only now writes caps the next one before it).
   */
  moved(moment: HeardMoment): void {
    if (moment.atMs >= this.last.atMs) this.last = moment;
  }

  seconds(): number {
    return Math.max(0, this.last.lagMs + (performance.now() - this.last.readAt)) / 1_000;
  }
}
