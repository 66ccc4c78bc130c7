import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { spawnServerProcess, testEnvironment } from '../support/server';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('start_up_line');
});
afterAll(async () => {
  await db?.drop();
});

describe("the built server's start-up line", () => {
  it.each([
    ['0.0.0.0', '0.0.0.0', '127.0.0.1'],
    ['::1', '[::1]', '[::1]'],
  ])('with HOST=%s names %s:PORT as listened on, and a URL to open on this machine', async (host, listened, opened) => {
    const server = await spawnServerProcess(testEnvironment(db.url, 'start-up-line', { HOST: host }));
    try {
      const line = server.logs.find((entry) => entry['msg'] === 'order gate is serving');
      const port = /:(\d+)$/.exec(String(line?.['listening']))?.[1];
      expect({ listening: line?.['listening'], url: line?.['url'] }).toEqual({
        listening: `${listened}:${port}`,
        url: `http://${opened}:${port}/graphql`,
      });
      const health = await fetch(String(line?.['url']).replace(/\/graphql$/, '/healthz'));
      expect(health.status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
