import type { ClaimRecord, IdempotencyPolicy } from '../src';
import { IdempotencyGuard, MemoryClaimStore } from '../src';
import { warnOfStoreFailures } from '../src/store-failure-warning';

// A store that refuses every claim (a wrong URL or password): pure decision logic, no Redis.
class RefusingStore extends MemoryClaimStore {
  override claim(): Promise<ClaimRecord | null> {
    return Promise.reject(new Error('WRONGPASS invalid username-password pair'));
  }
}

type Answer = { kind: string };
const policy: IdempotencyPolicy<{ key: string }, object, Answer> = {
  operation: 'toy',
  keyArgument: 'key',
  prepare: () => ({ scope: 'c', fingerprint: 'p' }),
  outcomeOf: () => ({ outcome: 'rejected' }),
  findCommitted: async () => null,
  answer: (answer) => ({ kind: answer.outcome }),
};
const OPTIONS = { leaseMs: 1_000, retentionMs: 60_000, retryAfterMs: 200, storeTimeoutMs: 20 };

let warn: jest.SpiedFunction<typeof console.warn>;
beforeEach(() => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

describe('a failing claim store without onStoreFailure', () => {
  it('is warned of on the console, once for a burst of failures, naming the operation and the error', async () => {
    const guard = new IdempotencyGuard(new RefusingStore(), OPTIONS);
    for (let i = 0; i < 3; i += 1)
      await guard.run(policy, { key: `key-0000${i}` }, {}, async () => ({ kind: 'created' }));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/claim store's claim failed or was late \(WRONGPASS .*\).*onStoreFailure/);
  });

  it('is left to onStoreFailure when the host gives one', async () => {
    const told: string[] = [];
    const guard = new IdempotencyGuard(new RefusingStore(), {
      ...OPTIONS,
      onStoreFailure: (operation) => told.push(operation),
    });
    await guard.run(policy, { key: 'key-00001' }, {}, async () => ({ kind: 'created' }));
    expect([told, warn.mock.calls.length]).toEqual([['claim'], 0]);
  });
});

describe('warnOfStoreFailures', () => {
  it('speaks at most once every 10 s per operation', () => {
    let now = 0;
    const report = warnOfStoreFailures(() => now);
    report('claim', new Error('down'));
    report('claim', new Error('down'));
    report('complete', new Error('down'));
    now = 9_999;
    report('claim', new Error('down'));
    now = 10_000;
    report('claim', new Error('down'));
    expect(warn.mock.calls.map(([text]) => /store's (\w+)/.exec(String(text))?.[1])).toEqual([
      'claim',
      'complete',
      'claim',
    ]);
  });
});
