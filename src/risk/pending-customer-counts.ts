import { callStore } from '../stores/store-call';
import type { StoreCallPolicy, StoreCallResult } from '../stores/store-call';
import { RISK_COUNTER_NAMES, zeroCounts } from './risk-counters';
import type { RiskCounts, SubjectCounters } from './risk-counters';
import type { RiskFeatureStore } from './risk-feature-store';

/** How often the customers' pending counts are written (ms). */
export const CUSTOMER_COUNTS_FLUSH_MS = 1_000;

/**
 * What the decisions added to customers' counters (holds, retries, overrides) and is not written
 * yet. Each was one more round trip to the feature store after its answer, on a path that had just
 * made several: now a customer's pending counts ride with the customer's next count-and-read
 * (`withPending`, the same Lua call), and what nobody came back for is written with the others
 * once a `flushMs` (all in one tick, so one pipelined write). The counts lag by at most that long
 * for another process; this one's next attempt of the customer sees them at once (added to the
 * counters it reads, which the store answers from before its own update).
 */
export class PendingCustomerCounts {
  private readonly pending = new Map<string, RiskCounts>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: RiskFeatureStore,
    private readonly updates: StoreCallPolicy,
    flushMs = CUSTOMER_COUNTS_FLUSH_MS,
  ) {
    this.timer = setInterval(() => void this.writeAll(), flushMs);
    this.timer.unref();
  }

  /** Counts for the customer, written with its next count-and-read or the next flush. */
  add(subject: string, counts: Partial<RiskCounts>): void {
    const pending = this.pending.get(subject) ?? zeroCounts();
    for (const name of RISK_COUNTER_NAMES) pending[name] += counts[name] ?? 0;
    this.pending.set(subject, pending);
  }

  /**
   * Runs the customer's count-and-read with its pending counts added to `counts`, and answers the
   * counters as if those had been written before it. A failed call loses them, as a failed update
   * always did (a call that timed out may still have been applied: sending them again could count
   * them twice).
   */
  async withPending(
    subject: string,
    counts: Partial<RiskCounts>,
    record: (counts: RiskCounts) => Promise<StoreCallResult<SubjectCounters>>,
  ): Promise<StoreCallResult<SubjectCounters>> {
    const pending = this.pending.get(subject) ?? zeroCounts();
    this.pending.delete(subject);
    const sent = zeroCounts();
    for (const name of RISK_COUNTER_NAMES) sent[name] = (counts[name] ?? 0) + pending[name];
    const result = await record(sent);
    if (!result.ok) return result;
    const { recent, history } = result.value;
    for (const name of RISK_COUNTER_NAMES) {
      recent[name] += pending[name];
      history[name] += pending[name];
    }
    return result;
  }

  /** Stops the timer and writes every pending count (shutdown). */
  async flush(): Promise<void> {
    clearInterval(this.timer);
    await this.writeAll();
  }

  private async writeAll(): Promise<void> {
    const now = Date.now();
    const entries = [...this.pending];
    this.pending.clear();
    await Promise.all(
      // A failure is counted by the policy and lost, as before (see withPending).
      entries.map(([subject, counts]) =>
        callStore(this.updates, 'update', () => this.store.record(subject, { counts }, now)),
      ),
    );
  }
}
