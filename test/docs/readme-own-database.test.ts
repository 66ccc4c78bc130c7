import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LOCAL_DATABASE_URL } from '../../scripts/harness/local-database';
import { docsExample, readDoc, startVariables } from '../support/docs';
import { deleteRedisPrefix, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis';
import { spawnServerProcess } from '../support/server';

/**
 * README.md's local servers mode on a database of Order Gate's own (found from outside: the
 * table's command puts its tables in the local server's `postgres` database, beside anything else
 * there, and the README said nothing of making another). Its `createdb` runs here under another
 * name, so that nobody's `order_gate` is touched, then the server starts on it.
 */
const run = promisify(execFile);
const README_NAME = 'order_gate';

describe("README.md's own database for the local servers mode", () => {
  it('createdb, then npm start with its name in DATABASE_URL: the server migrates it and is ready', async () => {
    const [createdb, start, ...more] = (await docsExample('own-database', 'README.md')).trim().split('\n');
    expect(more).toEqual([]);
    expect(createdb).toBe(`createdb -h 127.0.0.1 -U postgres ${README_NAME}`);
    const variables = startVariables(start);
    expect(variables).toEqual({
      DATABASE_URL: LOCAL_DATABASE_URL.replace(/\/postgres$/, `/${README_NAME}`),
      REDIS_URL: 'redis://127.0.0.1:6379',
    });

    const name = `og_readme_${process.pid}_${Date.now()}`;
    const [command, ...args] = createdb.replace(new RegExp(`${README_NAME}$`), name).split(' ');
    await run(command, args);
    const prefix = uniqueRedisPrefix('readme-own-database');
    try {
      const server = await spawnServerProcess(
        {
          NODE_ENV: 'development',
          HOST: '127.0.0.1',
          PORT: '0',
          DATABASE_URL: variables['DATABASE_URL'].replace(new RegExp(`${README_NAME}$`), name),
          REDIS_URL: TEST_REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
        },
        120_000,
      );
      try {
        expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    } finally {
      await run('dropdb', ['-h', '127.0.0.1', '-U', 'postgres', '--if-exists', name]);
      await deleteRedisPrefix(prefix).catch(() => undefined);
    }
  }, 180_000);

  it('names REDIS_KEY_PREFIX, for a Redis shared with other apps, with where the settings are', async () => {
    const readme = (await readDoc('README.md')).replace(/\s+/g, ' ');
    expect(readme).toMatch(/`REDIS_KEY_PREFIX`[^.]*Redis shared with other apps[^.]*\(\[docs\/configuration\.md\]/);
  });
});
