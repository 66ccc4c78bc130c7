import type { TestDatabase } from './database';

/** Polls until the condition holds (never a fixed sleep: the machine may be slow). */
export async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Resolves once some session of the test database is waiting on a row lock. */
export function waitForLockWait(db: TestDatabase): Promise<void> {
  return waitFor('a transaction to wait on a lock', async () => {
    const waiting = await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [db.name]);
    return waiting.length > 0;
  });
}
