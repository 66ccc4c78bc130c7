import type { RedisServer } from './redis-server';
import type { TestServer } from './server';

/**
 * Runs a storm against `server`, whose claims are in `redis`, kills that Redis once `killAfter`
 * calls were answered, and proves the fault happened: Redis is gone and claims went down the
 * database path. `run` sends the storm, telling `onAnswer` the count answered so far.
 */
export async function stormThroughRedisKill(
  redis: RedisServer,
  server: TestServer,
  run: (onAnswer: (answered: number) => void) => Promise<unknown>,
  killAfter: number,
): Promise<void> {
  let killed: Promise<void> | undefined;
  await run((answered) => {
    if (answered === killAfter) killed = redis.kill();
  });
  await killed;
  expect(redis.process.exitCode !== null || redis.process.signalCode !== null).toBe(true);
  const fallbacks = await server.app.services.metrics.claimStoreFallbacks.get();
  expect(fallbacks.values.reduce((sum, value) => sum + value.value, 0)).toBeGreaterThan(0);
}
