import type { IdempotencyEvent, IdempotencyPolicy } from '../src';
import { IdempotencyGuard, MemoryClaimStore } from '../src';

// A request whose arguments name one thing (a held order) and whose answer another (the order its
// release placed): the policy's facts about a repeat's answer go with that repeat's event, as
// outcomeOf's go with a first request's. Before, a repeat's event had the prepared metadata alone.
type Answer = { kind: string; orderId: string };

const policy: IdempotencyPolicy<{ key: string; heldId: string }, object, Answer> = {
  operation: 'release',
  keyArgument: 'key',
  prepare: (args) => ({ scope: 'admin', fingerprint: args.heldId, metadata: { heldId: args.heldId } }),
  outcomeOf: (answer, attempt) => ({
    outcome: 'created',
    resource: { resourceId: 'change-1', fingerprint: attempt.prepared.fingerprint, firstSeenAt: new Date(0) },
    metadata: { orderId: answer.orderId },
  }),
  findCommitted: async () => null,
  answer: (answer) => ({ kind: answer.outcome, orderId: 'order-1' }),
  answerMetadata: (answer) => ({ orderId: answer.orderId }),
};

const request = { requestId: 'test' };

describe('answerMetadata', () => {
  it('merges the policy’s facts about a repeat’s answer into its event', async () => {
    const events: IdempotencyEvent[] = [];
    const guard = new IdempotencyGuard(new MemoryClaimStore(), {
      leaseMs: 1_000,
      retentionMs: 60_000,
      retryAfterMs: 200,
      storeTimeoutMs: 50,
      observers: [{ onDecision: (event: IdempotencyEvent) => events.push(event) }],
    });
    const args = { key: 'key-release-1', heldId: 'held-1' };
    const execute = async (): Promise<Answer> => ({ kind: 'created', orderId: 'order-1' });
    expect(await guard.run(policy, args, request, execute)).toEqual({ kind: 'created', orderId: 'order-1' });
    expect(await guard.run(policy, args, request, execute)).toEqual({
      kind: 'duplicate',
      orderId: 'order-1',
    });
    expect(events.map((event) => [event.outcome, event.layer, event.metadata])).toEqual([
      ['created', undefined, { heldId: 'held-1', orderId: 'order-1' }],
      ['duplicate', 'CACHE', { heldId: 'held-1', orderId: 'order-1' }],
    ]);
  });
});
