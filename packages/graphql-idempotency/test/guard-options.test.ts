import type { IdempotencyGuardOptions } from '../src';
import { IdempotencyGuard, MemoryClaimStore, replayPolicy } from '../src';

// Options a plain-JavaScript caller can get wrong without a type error. Before the check, each of
// these made every store call fail (Redis refuses `PX 30s`; a missing storeTimeoutMs timed every
// call out at once) and the guard ran every call unclaimed, repeats included, saying nothing.
const valid: IdempotencyGuardOptions = {
  leaseMs: 30_000,
  retentionMs: 60_000,
  retryAfterMs: 500,
  storeTimeoutMs: 1_000,
};
const guardWith = (options: unknown) =>
  new IdempotencyGuard(new MemoryClaimStore(), options as IdempotencyGuardOptions);

describe('IdempotencyGuard options', () => {
  it('accepts the documented options (repeatWaitMs and retryAfterMs may be 0)', () => {
    expect(() => guardWith(valid)).not.toThrow();
    expect(() => guardWith({ ...valid, retryAfterMs: 0, repeatWaitMs: 0 })).not.toThrow();
  });

  it.each([
    [undefined, 'IdempotencyGuard: options are required ({ leaseMs, retentionMs, retryAfterMs, storeTimeoutMs }).'],
    [{}, 'IdempotencyGuard: leaseMs must be a whole number of milliseconds, 1 or more (missing).'],
    [
      { ...valid, leaseMs: '30s' },
      'IdempotencyGuard: leaseMs must be a whole number of milliseconds, 1 or more (got "30s").',
    ],
    [
      { ...valid, retentionMs: 1.5 },
      'IdempotencyGuard: retentionMs must be a whole number of milliseconds, 1 or more (got 1.5).',
    ],
    [
      { ...valid, retryAfterMs: -1 },
      'IdempotencyGuard: retryAfterMs must be a number of milliseconds, 0 or more (got -1).',
    ],
    [
      { leaseMs: 30_000, retentionMs: 60_000, retryAfterMs: 500 },
      'IdempotencyGuard: storeTimeoutMs must be a number of milliseconds, from 1 to 2147483647 (missing).',
    ],
    [
      { ...valid, storeTimeoutMs: 3_000_000_000 },
      'IdempotencyGuard: storeTimeoutMs must be a number of milliseconds, from 1 to 2147483647 (got 3000000000).',
    ],
    [
      { ...valid, repeatWaitMs: Number.NaN },
      'IdempotencyGuard: repeatWaitMs must be a number of milliseconds, from 0 to 2147483647 (got NaN).',
    ],
  ])('refuses %j, naming the option', (options, message) => {
    expect(() => guardWith(options)).toThrow(new TypeError(message));
  });

  it("refuses a replayPolicy's lease or retention that Redis would refuse", () => {
    expect(() => replayPolicy('createTicket', { scope: () => '', leaseMs: 5_000, retentionMs: 60_000 })).not.toThrow();
    expect(() => replayPolicy('createTicket', { scope: () => '', leaseMs: '5s' as unknown as number })).toThrow(
      new TypeError(
        `replayPolicy('createTicket'): leaseMs must be a whole number of milliseconds, 1 or more (got "5s").`,
      ),
    );
  });
});
