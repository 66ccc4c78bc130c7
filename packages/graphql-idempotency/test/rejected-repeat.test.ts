import type { ClaimRecord, ClaimScope, IdempotencyEvent, IdempotencyPolicy, SettledResource } from '../src';
import { IdempotencyGuard, MemoryClaimStore } from '../src';

// A key whose first request completed under one version's rules, retried after a deploy whose
// rules refuse its payload: the retry gets the first answer, not the refusal (which clients take
// as final, and then place the order again).
type Answer = { kind: string; id?: string; retryAfterMs?: number };
interface Args {
  key: string;
  payload: string;
}

const request = { requestId: 'test' };
const SCOPE = 'customer-1';

/** The rules of one version: `refused` payloads are rejected, naming their scope and fingerprint when `named`. */
function versionPolicy(
  refused: ReadonlySet<string>,
  options: { named?: boolean; committed?: Map<string, SettledResource> } = {},
): IdempotencyPolicy<Args, object, Answer> {
  const { named = true, committed = new Map<string, SettledResource>() } = options;
  return {
    operation: 'order',
    keyArgument: 'key',
    prepare: (args) => {
      // One fingerprint for a payload, valid or refused: here the payload itself.
      if (!refused.has(args.payload)) return { scope: SCOPE, fingerprint: args.payload };
      const reject = { kind: 'validation_failed' };
      return named ? { reject, scope: SCOPE, fingerprint: args.payload } : { reject };
    },
    outcomeOf: (answer, attempt) =>
      answer.kind === 'created'
        ? {
            outcome: 'created',
            resource: { resourceId: answer.id!, fingerprint: attempt.prepared.fingerprint, firstSeenAt: new Date(0) },
          }
        : { outcome: 'rejected' },
    findCommitted: async (scope) => committed.get(scope.key) ?? null,
    answer(answer) {
      if (answer.outcome === 'duplicate') return { kind: `duplicate/${answer.layer}`, id: answer.resource.resourceId };
      if (answer.outcome === 'in_progress') return { kind: 'in_progress', retryAfterMs: answer.retryAfterMs };
      return { kind: answer.outcome };
    },
  };
}

const NONE = new Set<string>();
/** The deploy's tightened rules: the payload `old` is refused now. */
const TIGHTENED = new Set(['old', 'other']);

function guardWith(store: MemoryClaimStore, events: IdempotencyEvent[] = []): IdempotencyGuard {
  return new IdempotencyGuard(store, {
    leaseMs: 1_000,
    retentionMs: 60_000,
    retryAfterMs: 200,
    storeTimeoutMs: 50,
    observers: [{ onDecision: (event: IdempotencyEvent) => events.push(event) }],
  });
}

const scopeOf = (key: string): ClaimScope => ({ operation: 'order', scope: SCOPE, key });

describe('a rejected payload whose key already stands for something', () => {
  let runs: number;
  const execute = async (): Promise<Answer> => ({ kind: 'created', id: `order-${++runs}` });
  beforeEach(() => (runs = 0));

  async function placedBeforeDeploy(store: MemoryClaimStore, key: string): Promise<ClaimRecord | null> {
    const first = await guardWith(store).run(versionPolicy(NONE), { key, payload: 'old' }, request, execute);
    expect(first).toEqual({ kind: 'created', id: 'order-1' });
    return store.read(scopeOf(key));
  }

  it('answers a retry with the same payload with the first answer, running and writing nothing', async () => {
    const store = new MemoryClaimStore();
    const before = await placedBeforeDeploy(store, 'key-replay-1');
    const events: IdempotencyEvent[] = [];
    const after = guardWith(store, events);
    // The new rules do refuse this payload: a new key with it is rejected.
    const fresh = await after.run(versionPolicy(TIGHTENED), { key: 'key-replay-2', payload: 'old' }, request, execute);
    expect(fresh).toEqual({ kind: 'validation_failed' });

    const retry = await after.run(versionPolicy(TIGHTENED), { key: 'key-replay-1', payload: 'old' }, request, execute);
    expect(retry).toEqual({ kind: 'duplicate/CACHE', id: 'order-1' });
    expect(runs).toBe(1);
    expect(await store.read(scopeOf('key-replay-1'))).toEqual(before);
    expect(await store.read(scopeOf('key-replay-2'))).toBeNull();
    expect(events.map((event) => [event.key, event.outcome, event.claim])).toEqual([
      ['key-replay-2', 'rejected', 'none'],
      ['key-replay-1', 'duplicate', 'held'],
    ]);
  });

  it('answers another refused payload under the key as the key reused', async () => {
    const store = new MemoryClaimStore();
    await placedBeforeDeploy(store, 'key-replay-3');
    const retry = await guardWith(store).run(
      versionPolicy(TIGHTENED),
      { key: 'key-replay-3', payload: 'other' },
      request,
      execute,
    );
    expect(retry).toEqual({ kind: 'reused' });
    expect(runs).toBe(1);
  });

  it('asks the database when the store no longer holds the key (retention ended)', async () => {
    const committed = new Map([
      ['key-replay-4', { resourceId: 'order-9', fingerprint: 'old', firstSeenAt: new Date(0) }],
    ]);
    const store = new MemoryClaimStore();
    const policy = versionPolicy(TIGHTENED, { committed });
    expect(await guardWith(store).run(policy, { key: 'key-replay-4', payload: 'old' }, request, execute)).toEqual({
      kind: 'duplicate/DATABASE',
      id: 'order-9',
    });
    expect(await guardWith(store).run(policy, { key: 'key-replay-4', payload: 'other' }, request, execute)).toEqual({
      kind: 'reused',
    });
    // Read, not remembered: nothing is written for a rejected payload.
    expect(await store.read(scopeOf('key-replay-4'))).toBeNull();
    expect(runs).toBe(0);
  });

  it('answers in progress while the key is claimed and nothing committed', async () => {
    const store = new MemoryClaimStore();
    await store.claim(
      scopeOf('key-replay-5'),
      { state: 'pending', fingerprint: 'old', owner: 'elsewhere', claimedAt: Date.now() },
      1_000,
    );
    const retry = await guardWith(store).run(
      versionPolicy(TIGHTENED),
      { key: 'key-replay-5', payload: 'old' },
      request,
      execute,
    );
    expect(retry).toEqual({ kind: 'in_progress', retryAfterMs: 200 });
    expect((await store.read(scopeOf('key-replay-5')))?.state).toBe('pending');
  });

  it('answers a rejection that names no scope with the rejection, whatever the key holds', async () => {
    const store = new MemoryClaimStore();
    await placedBeforeDeploy(store, 'key-replay-6');
    const unnamed = versionPolicy(TIGHTENED, { named: false });
    expect(await guardWith(store).run(unnamed, { key: 'key-replay-6', payload: 'old' }, request, execute)).toEqual({
      kind: 'validation_failed',
    });
    expect(runs).toBe(1);
  });

  it('still answers a malformed key as invalid, before the payload is read', async () => {
    const store = new MemoryClaimStore();
    const answer = await guardWith(store).run(
      versionPolicy(TIGHTENED),
      { key: 'short', payload: 'old' },
      request,
      execute,
    );
    expect(answer).toEqual({ kind: 'invalid_key' });
  });
});
