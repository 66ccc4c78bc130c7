import type { ClaimRecord, ClaimStore, IdempotencyPolicy } from '../src';
import { IdempotencyGuard, MemoryClaimStore } from '../src';

// The guard's admit hook (used by the order rate limit), as pure logic: in-memory store, toy policy.
type Answer = { kind: string; id?: string };
interface Args {
  key: string;
}

const request = { requestId: 'test' };

class TurnedAway extends Error {}

function policyAdmitting(
  admitted: string[],
  refuse: (key: string) => boolean,
): IdempotencyPolicy<Args, object, Answer> {
  return {
    operation: 'toy',
    keyArgument: 'key',
    prepare: () => ({ scope: 'c', fingerprint: 'p' }),
    outcomeOf: (answer) =>
      answer.kind === 'created'
        ? { outcome: 'created', resource: { resourceId: answer.id!, fingerprint: 'p', firstSeenAt: new Date(0) } }
        : { outcome: 'rejected' },
    findCommitted: async () => null,
    answer: (answer) =>
      answer.outcome === 'duplicate'
        ? { kind: `duplicate/${answer.layer}`, id: answer.resource.resourceId }
        : { kind: answer.outcome },
    async admit(scope) {
      admitted.push(scope.key);
      if (refuse(scope.key)) throw new TurnedAway('limited');
    },
  };
}

const guardWith = (store: ClaimStore) =>
  new IdempotencyGuard(store, { leaseMs: 1_000, retentionMs: 60_000, retryAfterMs: 200, storeTimeoutMs: 20 });

describe('IdempotencyGuard admit hook', () => {
  it('asks only for fresh claims: repeats (cached or in progress) never reach it', async () => {
    const admitted: string[] = [];
    const guard = guardWith(new MemoryClaimStore());
    const policy = policyAdmitting(admitted, () => false);
    let release: () => void = () => undefined;
    const slow = guard.run(
      policy,
      { key: 'key-slow-1' },
      request,
      () => new Promise<Answer>((resolve) => (release = () => resolve({ kind: 'created', id: 'o1' }))),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(await guard.run(policy, { key: 'key-slow-1' }, request, async () => ({ kind: 'created', id: 'x' }))).toEqual(
      { kind: 'in_progress' },
    );
    release();
    expect(await slow).toEqual({ kind: 'created', id: 'o1' });
    expect(await guard.run(policy, { key: 'key-slow-1' }, request, async () => ({ kind: 'created', id: 'x' }))).toEqual(
      { kind: 'duplicate/CACHE', id: 'o1' },
    );
    expect(admitted).toEqual(['key-slow-1']);
  });

  it('releases the claim when it refuses, so the same key runs once admitted later', async () => {
    const admitted: string[] = [];
    let refusing = true;
    const guard = guardWith(new MemoryClaimStore());
    const policy = policyAdmitting(admitted, () => refusing);
    let runs = 0;
    const execute = async () => ({ kind: 'created', id: `o${++runs}` });
    await expect(guard.run(policy, { key: 'key-limited' }, request, execute)).rejects.toBeInstanceOf(TurnedAway);
    expect(runs).toBe(0);
    refusing = false;
    expect(await guard.run(policy, { key: 'key-limited' }, request, execute)).toEqual({ kind: 'created', id: 'o1' });
    expect(admitted).toEqual(['key-limited', 'key-limited']);
  });

  it('asks too when the store is down and the request runs unclaimed', async () => {
    const admitted: string[] = [];
    const down: ClaimStore = {
      claim: (): Promise<ClaimRecord | null> => Promise.reject(new Error('down')),
      complete: () => Promise.reject(new Error('down')),
      release: () => Promise.reject(new Error('down')),
      remember: () => Promise.reject(new Error('down')),
    };
    const policy = policyAdmitting(admitted, (key) => key === 'key-refused');
    const guard = guardWith(down);
    expect(
      await guard.run(policy, { key: 'key-allowed' }, request, async () => ({ kind: 'created', id: 'o' })),
    ).toEqual({ kind: 'created', id: 'o' });
    await expect(
      guard.run(policy, { key: 'key-refused' }, request, async () => ({ kind: 'created', id: 'x' })),
    ).rejects.toBeInstanceOf(TurnedAway);
    expect(admitted).toEqual(['key-allowed', 'key-refused']);
  });
});
