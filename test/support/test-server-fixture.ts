import { createTestDatabase } from './database';
import type { TestDatabase } from './database';
import { startTestServer } from './server';
import type { TestServer } from './server';

/** A test file's database and server, ready inside its tests. */
export interface TestServerFixture {
  readonly db: TestDatabase;
  readonly server: TestServer;
}

/**
 * The usual set-up of an integration test file, once: a fresh database (every migration applied)
 * and the real server on it (HTTP on a free port, its own Redis key prefix), created before the
 * file's tests and removed after them. `env` adds server variables.
 *
 *   const fixture = withTestServer('create-order', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });
 *   it('…', async () => { await fixture.db.query(…); await postOperation(fixture.server.url, …); });
 */
export function withTestServer(label: string, env: Record<string, string> = {}): TestServerFixture {
  let db: TestDatabase | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(label);
    server = await startTestServer(db.url, label, env);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`the test ${name} is used before beforeAll ran`);
    return value;
  };
  return {
    get db() {
      return ready(db, 'database');
    },
    get server() {
      return ready(server, 'server');
    },
  };
}
