import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_DATABASE_URL, createTestDatabase } from '../support/database';
import { createScratchDatabase, dropScratchDatabase } from '../support/scratch-database';
import type { TestDatabase } from '../support/database';
import { dockerIgnored, parseDockerfile, replayDockerfile } from '../support/dockerfile-replay';
import type { ReplayedImage } from '../support/dockerfile-replay';
import { request } from '../support/http';
import { PROJECT_ROOT, SERVER_ENTRY, spawnServerProcess } from '../support/server';
import type { ServerProcess } from '../support/server';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from '../support/redis';

// No Docker engine runs here, so the image is checked by replaying its Dockerfile: exactly the
// files each COPY names go into a folder per stage, each RUN runs there, and the final stage's
// CMD must serve. A file the build needs but never copied fails here as it would in `docker build`.

const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');

test('every stage builds on a Node release that is still maintained (an even major from 22 on)', () => {
  const majors = parseDockerfile(dockerfile).map((stage) => Number(/^node:(\d+)/.exec(stage.image)?.[1]));
  expect(majors.length).toBeGreaterThan(0);
  for (const major of majors) {
    expect(major % 2).toBe(0);
    expect(major).toBeGreaterThanOrEqual(22);
  }
});

test('the build context leaves out every install, build output and build state, wherever it is', () => {
  // The image installs and builds for itself. COPY keeps a file's time: the host's
  // packages/graphql-idempotency/dist with its build.tsbuildinfo, newer than the sources, made the
  // image's incremental build (tsc -b) keep the host's output. (The replay below copies tracked
  // files only, so it cannot see this: the rules are checked here.)
  const ignored = dockerIgnored(PROJECT_ROOT);
  const leftOut = [
    'dist/src/main.js',
    'node_modules/graphql/index.js',
    'packages/graphql-idempotency/dist/index.d.ts',
    'packages/graphql-idempotency/dist/build.tsbuildinfo',
    'packages/graphql-idempotency/node_modules/lru-cache/package.json',
    'a-build-state.tsbuildinfo',
  ];
  const sent = [
    'packages/graphql-idempotency/src/index.ts',
    'packages/graphql-idempotency/scripts/esm-entries.js',
    'src/main.ts',
  ];
  expect({ leftOut: leftOut.filter((file) => !ignored(file)), sent: sent.filter(ignored) }).toEqual({
    leftOut: [],
    sent: [],
  });
});

describe('the image built from exactly what the Dockerfile copies', () => {
  let scratch: string;
  let image: ReplayedImage;
  let db: TestDatabase;
  let server: ServerProcess | undefined;
  const prefix = uniqueRedisPrefix('docker');

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'og-dockerfile-'));
    image = replayDockerfile(PROJECT_ROOT, scratch, () => undefined);
    db = await createTestDatabase('dockerfile');
  }, 600_000);

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    await db?.drop();
    await deleteRedisPrefix(prefix);
    rmSync(scratch, { recursive: true, force: true });
  });

  test('starts with its CMD, migrates, serves GraphQL and reports ready', async () => {
    expect(image.command).toEqual(['node', SERVER_ENTRY]);
    expect(image.env['NODE_ENV']).toBe('production');
    server = await spawnServerProcess(
      {
        ...image.env,
        PORT: '0',
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        JWT_SECRET: 'a-test-secret-that-is-long-enough-for-production-use',
        MIGRATE_ON_START: 'true',
      },
      60_000,
      { build: { cwd: image.workdir, entry: image.command.slice(1) } },
    );
    const ready = await request(server.url, '/readyz');
    expect(ready.status).toBe(200);
    const typename = await request(server.url, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(JSON.parse(typename.text)).toEqual({ data: { __typename: 'Query' } });
  }, 120_000);

  test("runs a release job's migrations with the command docs/migrations.md gives for the image", async () => {
    // The image has no build tools, so `npm run migrate` (which builds first) cannot run in it:
    // the release job or init container runs the built migrator, as the page says.
    const page = readFileSync(path.join(PROJECT_ROOT, 'docs/migrations.md'), 'utf8').replace(/\s+/g, ' ');
    const command = /In the image \(`Dockerfile`[^)]*\) that step is `(node [^`]+)`/.exec(page)?.[1];
    expect(command).toBe('node dist/src/db/migrations/migrate-cli.js');
    // Never migrated, as a release job finds a new database (createTestDatabase migrates its own).
    const fresh = await createScratchDatabase(ADMIN_DATABASE_URL, 'og_dockerfile_release');
    try {
      const [node, ...args] = (command ?? '').split(' ');
      expect(node).toBe('node');
      const run = await promisify(execFile)(process.execPath, args, {
        cwd: image.workdir,
        env: { PATH: process.env['PATH'] ?? '', ...image.env, DATABASE_URL: fresh.url },
      });
      expect(run.stdout).toMatch(/Applied \d+ migration/);
      const again = await promisify(execFile)(process.execPath, args, {
        cwd: image.workdir,
        env: { PATH: process.env['PATH'] ?? '', ...image.env, DATABASE_URL: fresh.url },
      });
      expect(again.stdout).toContain('Database is up to date.');
    } finally {
      await dropScratchDatabase(ADMIN_DATABASE_URL, fresh.name);
    }
  }, 120_000);
});
