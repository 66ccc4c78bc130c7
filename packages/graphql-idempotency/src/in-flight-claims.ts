import type { CompletedClaim } from './claim-store';

/** What a repeat learnt by waiting for its key's request in this process. */
export type InFlightOutcome =
  /** The request completed: its record, as the store is given it. */
  | { settled: 'completed'; record: CompletedClaim }
  /** The request failed or was turned away, and released the key: a retry may run. */
  | { settled: 'released' }
  /** Still running when the wait ran out. */
  | { settled: 'running' };

/** The end of one running request, made only once a repeat waits for it. */
interface Ending {
  settle(outcome: InFlightOutcome): void;
  outcome: Promise<InFlightOutcome>;
}

/**
 * The claims this process holds while their requests run, by owner. A repeat that finds its key
 * pending under one of them knows, without asking the store or the database, that the request is
 * alive here, and can wait a moment for its answer instead of being told to retry: the copies of
 * a double click or of a bot firing three times at once get the first request's answer as soon as
 * it exists. A claim owned elsewhere (another process, or a lease taken over) is not here, and is
 * answered as before. A request nobody waits for costs one map entry, no promise.
 */
export class InFlightClaims {
  private readonly running = new Map<string, Ending | null>();
  /**
   * Completed records the store is still being given: a repeat that meanwhile finds the key
   * pending in the store gets the answer here, not "in progress" (a retry for nothing) or a
   * database read.
   */
  private readonly completing = new Map<string, InFlightOutcome>();

  /** `owner`'s request has claimed its key and is about to run. */
  begin(owner: string): void {
    this.running.set(owner, null);
  }

  /** `owner`'s request is over: its completed record, or null when it released the key. Idempotent. */
  end(owner: string, record: CompletedClaim | null): void {
    const ending = this.running.get(owner);
    this.running.delete(owner);
    const outcome: InFlightOutcome = record ? { settled: 'completed', record } : { settled: 'released' };
    if (record) this.completing.set(owner, outcome);
    ending?.settle(outcome);
  }

  /** The store has `owner`'s completed record (or gave up on it): repeats read it there now. */
  stored(owner: string): void {
    this.completing.delete(owner);
  }

  /**
   * `owner`'s request answered and its claim is being settled (`settlement`): completed with
   * `record`, or released (null). A record answers the repeats waiting here at once, whatever the
   * store makes of it; after a release they claim the key themselves, so only once it is free.
   */
  settling(owner: string, record: CompletedClaim | null, settlement: Promise<unknown>): void {
    if (record) {
      this.end(owner, record);
      void settlement.then(() => this.stored(owner));
    } else void settlement.then(() => this.end(owner, null));
  }

  /**
   * Waits up to `waitMs` for `owner`'s request to end; undefined at once when `owner` is not
   * running in this process.
   */
  wait(owner: string, waitMs: number): Promise<InFlightOutcome> | undefined {
    const completed = this.completing.get(owner);
    if (completed) return Promise.resolve(completed);
    if (!this.running.has(owner)) return undefined;
    let ending = this.running.get(owner);
    if (!ending) {
      let settle!: (outcome: InFlightOutcome) => void;
      const outcome = new Promise<InFlightOutcome>((resolve) => (settle = resolve));
      ending = { settle, outcome };
      this.running.set(owner, ending);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<InFlightOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ settled: 'running' }), waitMs);
    });
    return Promise.race([ending.outcome, timeout]).finally(() => clearTimeout(timer));
  }
}
