import type { TestDatabase } from './database';
import { waitUntil } from './wait';

/** Resolves once some session of the test database is waiting on a row lock. */
export function waitForLockWait(db: TestDatabase): Promise<void> {
  return waitUntil('a transaction to wait on a lock', async () => {
    const waiting = await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [
      db.name,
    ]);
    return waiting.length > 0;
  });
}
