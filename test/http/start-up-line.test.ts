import { createServer } from 'node:net';
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

/** Node's code for why nothing can listen on `host` here (e.g. EADDRNOTAVAIL), or null if something can. */
function listenRefusal(host: string): Promise<string | null> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    probe.listen(0, host, () => probe.close(() => resolve(null)));
  });
}

/** Starts the built server with HOST=`host` and checks its start-up line and that its URL opens. */
async function expectStartUpLine(host: string, listened: string, opened: string): Promise<void> {
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
}

describe("the built server's start-up line", () => {
  it('with HOST=0.0.0.0 names 0.0.0.0:PORT as listened on, and a URL to open on this machine', async () => {
    await expectStartUpLine('0.0.0.0', '0.0.0.0', '127.0.0.1');
  });

  it('with HOST=::1 names [::1]:PORT (IPv6 in brackets), where this machine has an IPv6 loopback', async () => {
    // A runner without IPv6 loopback (Docker's default network) cannot listen on ::1 at all: no
    // server could start there, so the case asks the machine first and, without ::1, checks only
    // that this is why (an unexpected refusal still fails).
    const refusal = await listenRefusal('::1');
    if (refusal !== null) {
      expect(refusal).toBe('EADDRNOTAVAIL');
      return;
    }
    await expectStartUpLine('::1', '[::1]', '[::1]');
  });
});
