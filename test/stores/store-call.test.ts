import { callStore } from '../../src/stores/store-call';
import { REDIS_NOT_CONNECTED } from '../../src/stores/redis-scripts';
import { TEST_REDIS_URL } from '../support/redis';
import { Redis } from 'ioredis';
import pino from 'pino';

describe("callStore (the stores' one timeout policy)", () => {
  it('gives the value of a call that answers in time', async () => {
    const failures: string[] = [];
    const result = await callStore(
      { timeoutMs: 50, onFailure: (operation) => failures.push(operation) },
      'get',
      async () => 42,
    );
    expect(result).toEqual({ ok: true, value: 42 });
    expect(failures).toEqual([]);
  });

  it('reports a call that fails or does not answer within the budget, and never throws', async () => {
    const failures: string[] = [];
    const policy = { timeoutMs: 20, onFailure: (operation: string) => failures.push(operation) };
    const failed = await callStore(policy, 'claim', () => Promise.reject(REDIS_NOT_CONNECTED));
    const hung = await callStore(policy, 'complete', () => new Promise<never>(() => undefined));
    expect([failed.ok, hung.ok]).toEqual([false, false]);
    expect(failures).toEqual(['claim', 'complete']);
  });

  it('a reply that arrived while the event loop was busy wins over a timer that fires late', async () => {
    // Redis (another process) answers at once, but this process is busy past the budget, so the
    // budget's timer is due before the loop reads the reply waiting in the socket (timers run
    // before I/O): judged by the timer alone, the call would have timed out.
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await redis.ping();
      const result = callStore({ timeoutMs: 5, onFailure: () => undefined }, 'ping', () => redis.ping());
      const busyUntil = Date.now() + 50;
      while (Date.now() < busyUntil) {
        // the reply lands in the socket buffer meanwhile
      }
      expect(await result).toEqual({ ok: true, value: 'PONG' });
    } finally {
      redis.disconnect();
    }
  });

  it('survives a failure reporter that throws, and the shared not-connected error can be logged many times', async () => {
    // pino at a level that serialises the error (it tags every error object it visits).
    const logger = pino({ level: 'warn' }, { write: () => undefined });
    for (let i = 0; i < 3; i++) expect(() => logger.warn({ err: REDIS_NOT_CONNECTED }, 'redis down')).not.toThrow();
    const result = await callStore(
      {
        timeoutMs: 20,
        onFailure: () => {
          throw new Error('reporter broke');
        },
      },
      'claim',
      () => Promise.reject(REDIS_NOT_CONNECTED),
    );
    expect(result.ok).toBe(false);
  });
});
