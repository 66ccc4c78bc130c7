import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readDoc } from '../support/docs';
import { PROJECT_ROOT } from '../support/server';

/** `npm test`'s first step, with exactly this environment. */
function check(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(PROJECT_ROOT, 'scripts/check-test-tools.js')],
      { env },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}

describe('npm test, before it builds anything', () => {
  it('passes on this machine, which has what the suites need', async () => {
    expect(await check({ PATH: process.env['PATH'] ?? '' })).toEqual({ code: 0, stderr: '' });
  });

  it('names a PostgreSQL or Redis that does not answer, with the variable that points at it, before ten minutes of failures', async () => {
    // Found from outside: with PostgreSQL stopped, `npm test` built, then every integration suite
    // failed on ECONNREFUSED, one after another, for the whole run.
    const { code, stderr } = await check({
      PATH: process.env['PATH'] ?? '',
      TEST_DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/postgres',
      TEST_REDIS_URL: 'redis://127.0.0.1:9',
    });
    expect(code).toBe(1);
    expect(stderr).toContain(
      '  - PostgreSQL at 127.0.0.1:9 (TEST_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres): nothing answers there',
    );
    expect(stderr).toContain(
      '  - Redis at 127.0.0.1:9 (TEST_REDIS_URL, default redis://127.0.0.1:6379): nothing answers there',
    );
    expect(stderr).not.toContain('redis-server (');
  });

  it.each([
    'postgresql:///postgres?host=/nonexistent/socket',
    'postgresql://postgres@%2Fnonexistent%2Fsocket/postgres',
    'not a url',
  ])('leaves %s (a Unix socket, or no URL) to the suites: no TCP address to try', async (url) => {
    const run = await check({ PATH: process.env['PATH'] ?? '', TEST_DATABASE_URL: url });
    expect(run).toEqual({ code: 0, stderr: '' });
  });

  it('names each missing program and how to install it, on a machine with Node alone', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'og-only-node-'));
    try {
      await symlink(process.execPath, path.join(dir, 'node'));
      const { code, stderr } = await check({ PATH: dir, TEST_POSTGRES_BIN: path.join(dir, 'postgres') });
      expect(code).toBe(1);
      for (const program of ['redis-server', 'redis-cli', 'haproxy', 'curl', 'openssl', 'initdb', 'pg_basebackup'])
        expect(stderr).toContain(program);
      expect(stderr).toContain('apt-get install');
      // The README's set-up line says what npm test needs: every program this check can find missing.
      const missing = [...stderr.matchAll(/^ {2}- (\S+) \(/gm)].map(([, program]) => path.basename(program));
      const setUp = /npm install && npm test .*/.exec(await readDoc('README.md'))?.[0] ?? '';
      expect(missing.filter((program) => !new RegExp(`\\b${program}\\b`).test(setUp))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
