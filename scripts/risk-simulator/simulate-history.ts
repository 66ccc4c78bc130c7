import { createHash } from 'node:crypto';
import { submissionsOf } from './actors';
import type { Submission } from './actors';
import { Random } from './random';
import { attemptKey } from './history-rows';
import type {
  AttemptTruth,
  CandidateVerdict,
  SimulatedAuditEvent,
  SimulatedHistory,
  SimulatedOrder,
} from './history-rows';

/**
 * Runs today's Order Gate over simulated senders and writes what its tables would hold: the audit
 * log, the orders in their final state, and apart from them the truth about every new-key attempt.
 *
 * Today's system, as the simulator knows it: a repeated key is answered from the claim
 * (`duplicate`); a new key whose order equals one the same customer placed within the window is
 * held (`possible_duplicate_held`, policy HOLD on every channel); the sender may confirm and
 * place it anyway (`possible_duplicate_confirmed`). Afterwards customers cancel some orders and
 * support merges some duplicates (`merged`). The simulator imports nothing of the scoring code.
 */

export interface SimulationOptions {
  /** Seed of every random choice. Default 1. */
  seed: number;
  /** Days of history. Default 28. */
  days: number;
  /** First day, epoch ms. Default 2026-10-01T00:00Z. */
  startMs: number;
  /** Window of today's rule (ms). Default 600 000. */
  windowMs: number;
  /**
   * The server's matcher, injected (the simulator imports nothing of the server's code): the
   * similarity and verdict a held attempt's audit record carries. Default none: held records carry null.
   */
  match?: (attempt: SimulatedOrder, candidate: SimulatedOrder) => CandidateVerdict;
}

export const DEFAULT_SIMULATION_OPTIONS: SimulationOptions = {
  seed: 1,
  days: 28,
  startMs: Date.UTC(2026, 9, 1),
  windowMs: 600_000,
};

export interface Simulation {
  history: SimulatedHistory;
  /** By attemptKey(customerId, idempotencyKey). */
  truth: Map<string, AttemptTruth>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function simulateHistory(options: Partial<SimulationOptions> = {}): Simulation {
  const settings = { ...DEFAULT_SIMULATION_OPTIONS, ...options };
  const random = new Random(settings.seed);
  const world = new World(random, settings.windowMs, settings.match ?? null);
  const queue = submissionsOf(random, settings.startMs, settings.days).sort((a, b) => a.at - b.at);
  const later: Submission[] = []; // confirmations, kept sorted by time (few, so insertion is cheap)
  let next = 0;
  while (next < queue.length || later.length > 0) {
    const submission =
      later.length > 0 && (next >= queue.length || later[0].at <= queue[next].at) ? later.shift()! : queue[next++];
    const confirmation = world.submit(submission);
    if (confirmation) later.splice(sortedIndex(later, confirmation.at), 0, confirmation);
  }
  return { history: world.history(), truth: world.truth };
}

class World {
  readonly truth = new Map<string, AttemptTruth>();
  private readonly events: Omit<SimulatedAuditEvent, 'id'>[] = [];
  private readonly orders: SimulatedOrder[] = [];
  private readonly ordersByCustomer = new Map<string, { order: SimulatedOrder; signature: string }[]>();
  private readonly firstOrderOfIntent = new Map<string, string>();

  constructor(
    private readonly random: Random,
    private readonly windowMs: number,
    private readonly match: SimulationOptions['match'] | null,
  ) {}

  /** Decides one new-key request; answers the confirmation the sender will send if it was held. */
  submit(submission: Submission): Submission | null {
    this.truth.set(attemptKey(submission.customerId, submission.idempotencyKey), {
      customerId: submission.customerId,
      idempotencyKey: submission.idempotencyKey,
      duplicate: submission.duplicate,
      actor: submission.actor,
      kind: submission.kind,
    });
    const confirming = submission.kind.startsWith('confirmation');
    const candidate = confirming ? this.confirmedCandidate(submission) : this.equivalentWithinWindow(submission);
    if (candidate && !confirming) {
      const verdict = this.match?.(this.attemptAsOrder(submission), candidate);
      this.audit(submission, submission.at, 'possible_duplicate_held', 'claimed', null, candidate.id, null, undefined, {
        similarity: verdict?.similarity ?? null,
        candidateEquivalent: verdict?.equivalent ?? null,
      });
      if (!this.random.chance(submission.confirmChance)) return null;
      const at = submission.at + Math.round(this.random.between(5, 90) * 1_000);
      const idempotencyKey = `${submission.idempotencyKey}-confirmed`;
      return { ...submission, at, idempotencyKey, kind: `confirmation-of-${submission.kind}`, confirmChance: 0 };
    }
    const order = this.create(submission, candidate?.id ?? null);
    this.audit(
      submission,
      submission.at,
      confirming ? 'possible_duplicate_confirmed' : 'created',
      'claimed',
      order.id,
      candidate?.id ?? null,
    );
    this.retries(submission, order);
    this.aftermath(submission, order);
    return null;
  }

  history(): SimulatedHistory {
    const sorted = [...this.events].sort((a, b) => a.at.getTime() - b.at.getTime());
    return { auditEvents: sorted.map((event, index) => ({ id: index + 1, ...event })), orders: this.orders };
  }

  private equivalentWithinWindow(submission: Submission): SimulatedOrder | null {
    const recent = this.ordersByCustomer.get(submission.customerId) ?? [];
    for (let i = recent.length - 1; i >= 0; i--) {
      const { order, signature } = recent[i];
      if (submission.at - order.createdAt.getTime() > this.windowMs) break;
      const cancelled = order.status === 'CANCELLED' && order.updatedAt.getTime() <= submission.at;
      if (signature === submission.content.signature && !cancelled) return order;
    }
    return null;
  }

  private confirmedCandidate(submission: Submission): SimulatedOrder | null {
    const recent = this.ordersByCustomer.get(submission.customerId) ?? [];
    return [...recent].reverse().find(({ signature }) => signature === submission.content.signature)?.order ?? null;
  }

  /** A held attempt as the order it would have been (never stored), for the matcher. */
  private attemptAsOrder(submission: Submission): SimulatedOrder {
    const createdAt = new Date(submission.at);
    return {
      id: '',
      customerId: submission.customerId,
      idempotencyKey: submission.idempotencyKey,
      channel: submission.channel,
      salesSource: submission.salesSource,
      status: 'CONFIRMED',
      currency: submission.content.currency,
      createdAt,
      updatedAt: createdAt,
      items: submission.content.items,
      shippingAddress: submission.content.address,
      possibleDuplicateOfId: null,
      mergedIntoId: null,
    };
  }

  private create(submission: Submission, possibleDuplicateOfId: string | null): SimulatedOrder {
    const createdAt = new Date(submission.at);
    const order: SimulatedOrder = {
      id: this.uuid(),
      customerId: submission.customerId,
      idempotencyKey: submission.idempotencyKey,
      channel: submission.channel,
      salesSource: submission.salesSource,
      status: 'CONFIRMED',
      currency: submission.content.currency,
      createdAt,
      updatedAt: createdAt,
      items: submission.content.items,
      shippingAddress: submission.content.address,
      possibleDuplicateOfId,
      mergedIntoId: null,
    };
    this.orders.push(order);
    const list = this.ordersByCustomer.get(submission.customerId) ?? [];
    list.push({ order, signature: submission.content.signature });
    this.ordersByCustomer.set(submission.customerId, list);
    if (!this.firstOrderOfIntent.has(submission.intent)) this.firstOrderOfIntent.set(submission.intent, order.id);
    return order;
  }

  /** Same-key repeats after success: timeouts, redeliveries. Answered from the claim. */
  private retries(submission: Submission, order: SimulatedOrder): void {
    let at = submission.at;
    while (this.random.chance(submission.retryChance)) {
      at += Math.round(this.random.between(0.2, 30) * 1_000);
      this.audit(submission, at, 'duplicate', 'held', order.id, null, 'CACHE');
    }
  }

  /** What happens to an order later: a customer cancels a duplicate, or support merges it; honest orders are cancelled rarely. */
  private aftermath(submission: Submission, order: SimulatedOrder): void {
    const survivor = this.firstOrderOfIntent.get(submission.intent);
    if (!submission.duplicate) {
      if (this.random.chance(0.02)) this.cancel(order, submission.at + this.random.between(HOUR, 3 * DAY));
      return;
    }
    if (this.random.chance(0.45)) this.cancel(order, submission.at + this.random.between(20 * MINUTE, DAY));
    else if (survivor && survivor !== order.id && this.random.chance(0.35)) {
      const at = submission.at + this.random.between(DAY, 4 * DAY);
      this.cancel(order, at);
      order.mergedIntoId = survivor;
      this.audit(submission, at, 'merged', 'none', order.id, survivor, null, 'dedupe-merge');
    }
  }

  private cancel(order: SimulatedOrder, at: number): void {
    order.status = 'CANCELLED';
    order.updatedAt = new Date(Math.round(at));
  }

  private audit(
    submission: Submission,
    at: number,
    outcome: SimulatedAuditEvent['outcome'],
    claim: SimulatedAuditEvent['claim'],
    orderId: string | null,
    relatedOrderId: string | null,
    source: 'CACHE' | null = null,
    requestId = `req-${this.random.token(12)}`,
    extra: { similarity: number | null; candidateEquivalent: boolean | null } = {
      similarity: null,
      candidateEquivalent: null,
    },
  ): void {
    this.events.push({
      at: new Date(Math.round(at)),
      outcome,
      source,
      claim,
      customerId: submission.customerId,
      idempotencyKey: submission.idempotencyKey,
      fingerprint: createHash('sha256')
        .update(`${submission.idempotencyKey}|${submission.content.signature}`)
        .digest('hex'),
      channel: submission.channel,
      orderId,
      relatedOrderId,
      requestId,
      latencyMs: Math.round(this.random.between(2, 30) * 10) / 10,
      salesSource: submission.salesSource,
      similarity: extra.similarity,
      candidateEquivalent: extra.candidateEquivalent,
    });
  }

  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(this.random.next() * 16)]).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
}

function sortedIndex(items: readonly Submission[], at: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (items[middle].at <= at) low = middle + 1;
    else high = middle;
  }
  return low;
}
