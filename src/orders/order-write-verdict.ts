import type { SqlRunner } from '../db/sql-runner';
import { compareCandidates } from '../dedupe/possible-duplicate';
import type { CandidateRow, ComparedCandidate, NewOrderFacts } from '../dedupe/possible-duplicate';
import type { DuplicateVerdict } from './duplicate-decision';
import { holdOrder } from './held/held-order';
import type { HeldDecision, RetriedHold } from './held/held-order';
import { heldAgainVerdict } from './held/retried-hold';
import type { LookupRow, OrderWrite } from './order-statements';

/**
 * The duplicate step of the order transaction (writeOrder, order-write.ts), between the key check
 * and the held orders' settlement: what the candidate lookup found is judged, and the order is held
 * when the verdict, or the held request it retries, says HOLD.
 */

/** A verdict that holds, with the candidate it holds against. */
type HoldingVerdict = DuplicateVerdict & { candidate: ComparedCandidate };

/** Held as a possible duplicate: no order, a HeldOrder row instead (committed with its audit record). */
export type HeldOutcome = { kind: 'held'; verdict: HoldingVerdict } & HeldDecision;

/**
 * The order held (HeldOutcome), or the verdict it is placed with (null when no candidate was
 * judged). `lookedUp` is the lookup's rows, null where the transaction asked none.
 */
export async function verdictOrHold(
  sql: SqlRunner,
  order: NewOrderFacts,
  write: OrderWrite,
  lookedUp: LookupRow[] | null,
): Promise<HeldOutcome | { kind: 'judged'; verdict: DuplicateVerdict | null }> {
  // A held key sent again (unconfirmed) is answered with its hold (holdFor), never judged or scored
  // anew: it is the same attempt retried (docs/order-lifecycle.md, "Held orders"; docs/risk.md). A
  // release is placed as the hold the admin reviewed: no candidate of today's is judged either.
  const retried = lookedUp?.[0]?.retriedHold ?? null;
  const resent = retried !== null && !write.confirmed;
  const verdict = write.release
    ? releasedAsReviewed(write.release.reviewed, order.createdAt)
    : lookedUp && !resent
      ? await judgeCandidates(lookedUp, order, write)
      : null;
  const hold = write.confirmed ? null : holdFor(verdict, retried, order.createdAt);
  if (!hold) return { kind: 'judged', verdict };
  const held = await holdOrder(sql, order.id, write, hold, retried?.idempotencyKey);
  if (held) return { kind: 'held', verdict: hold, ...held };
  // The candidate was cancelled meanwhile: nothing to hold against, the order is a new one (and
  // settles the held request it retries, if any: settleHeldOrdersSql).
  return { kind: 'judged', verdict: verdict?.action === 'HOLD' ? null : verdict };
}

/**
 * The hold an unconfirmed order gets, if any: when it retries a held request, the one that request
 * was held with (it is not judged: its key, or its door's identity, stands for that
 * request at any age, so it is never placed because the window has passed or the policy or model
 * would let it through now); else the live check's (a HOLD on a recent order).
 */
function holdFor(
  verdict: DuplicateVerdict | null,
  retried: RetriedHold | null,
  createdAt: Date,
): HoldingVerdict | null {
  if (verdict?.action === 'HOLD' && verdict.candidate) return { ...verdict, candidate: verdict.candidate };
  return retried ? heldAgainVerdict(retried, createdAt) : null;
}

/** A release's verdict: the hold the admin reviewed, placed now (not a resent hold: nothing is answered with it). */
function releasedAsReviewed(reviewed: RetriedHold, createdAt: Date): HoldingVerdict {
  const { resent: _resent, ...verdict } = heldAgainVerdict(reviewed, createdAt);
  return verdict;
}

/** The decision on what the lookup found (null when it found no candidate: nothing to decide). */
async function judgeCandidates(
  rows: LookupRow[],
  order: NewOrderFacts,
  write: OrderWrite,
): Promise<DuplicateVerdict | null> {
  const candidates = rows.filter((row): row is LookupRow & CandidateRow => row.id !== null);
  if (candidates.length === 0) return null;
  const decide = await write.decide;
  return decide(compareCandidates(order, candidates, write.windowMs));
}
