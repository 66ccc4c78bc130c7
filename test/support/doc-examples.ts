import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LOCAL_DATABASE_URL } from '../../scripts/harness/local-database';
import { signViewerToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import { createTestDatabase } from './database';
import type { TestDatabase } from './database';
import { readDoc, startVariables } from './docs';
import { deleteRedisPrefix, TEST_REDIS_URL, uniqueRedisPrefix } from './redis';
import { PROJECT_ROOT, spawnServerProcess } from './server';
import type { ServerProcess } from './server';

// The shell examples of the docs run as a reader runs them (test/docs/examples.test.ts,
// test/docs/channel-examples.test.ts): taken from the Markdown, run with bash against the built
// server started as the README says, on a free port. Only what must differ here is substituted:
// the port, and `npm run <script> --` by the built command that script runs after its build.

/** `npm run` scripts the examples call, and the built command each runs after `npm run build`. */
export const BUILT_COMMANDS: Record<string, string> = {
  'npm run --silent token --': 'node dist/scripts/dev-token.js',
  'npm run --silent channels:pos --': 'node dist/src/channels/pos-cli.js',
};

/** The example as it runs here: the server's address for localhost:4000, the npm scripts built. */
export function runnable(example: string, url: string): string {
  let script = example.replaceAll('http://localhost:4000', url).replaceAll('localhost:4000', url);
  for (const [npm, built] of Object.entries(BUILT_COMMANDS))
    script = script.replaceAll(npm, `${built.replace(/^node /, `node ${PROJECT_ROOT}/`)}`);
  // The POS CLI's own default is port 4000: hand it the server's address.
  return script.replace(/(pos-cli\.js)/, `$1 --url ${url}`);
}

/** The example's commands, a command's continuation lines (`\` at the end) joined to it. */
export function commandsOf(example: string): string[] {
  return example.split(/(?<!\\)\n/).filter((line) => line.trim().length > 0);
}

/** Runs a script with bash in `cwd`, with no environment of this test (no DATABASE_URL, JWT_SECRET, …). */
export async function bash(script: string, cwd: string): Promise<string> {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: cwd };
  return (await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { cwd, env })).stdout;
}

/** The outputs of a script's commands that END follows, in order. */
export function outputsOf(stdout: string): string[] {
  return stdout.split('\n--- end of command\n').slice(0, -1);
}
export const END = 'echo; echo "--- end of command"';

/** What a page states, read with a pattern; the test fails when the sentence changes. */
export async function stated(file: string, pattern: RegExp): Promise<string[]> {
  const match = pattern.exec((await readDoc(file)).replace(/\s+/g, ' '));
  if (!match) throw new Error(`${file} no longer states ${String(pattern)}`);
  return match.slice(1);
}

export interface RunningServer {
  server: ServerProcess;
  stop(): Promise<void>;
}

async function stopProcess(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null) return;
  server.child.kill('SIGTERM');
  const killer = setTimeout(() => server.child.kill('SIGKILL'), 5_000);
  await server.exited;
  clearTimeout(killer);
}

/** `npm start` with neither URL: the embedded mode, its data in a folder of its own. */
export async function startEmbedded(): Promise<RunningServer> {
  const dataRoot = await mkdtemp(path.join(tmpdir(), 'og-docs-embedded-'));
  const server = await spawnServerProcess(
    {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: '',
      REDIS_URL: '',
      EMBEDDED_DATA_DIR: dataRoot,
    },
    120_000,
  );
  return {
    server,
    async stop() {
      await stopProcess(server);
      await rm(dataRoot, { recursive: true, force: true });
    },
  };
}

/** `DATABASE_URL=… REDIS_URL=… npm start`: the local servers mode, on a fresh database and Redis prefix. */
export async function startWithServers(extra: Record<string, string>): Promise<RunningServer & { db: TestDatabase }> {
  // The README's command names the local servers the tests use; here only the database is a fresh one.
  const [command] = await stated('README.md', /\| \*\*local servers\*\* \| `([^`]+)` \|/);
  expect(startVariables(command)).toEqual({ DATABASE_URL: LOCAL_DATABASE_URL, REDIS_URL: 'redis://127.0.0.1:6379' });
  const db = await createTestDatabase('docs-examples');
  const prefix = uniqueRedisPrefix('docs-examples');
  const env = {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    // As for every test server (testEnvironment): the 50 ms budget is lost whenever the shared
    // machine stalls the event loop, sending repeats the text says come from the CACHE to the database.
    REDIS_TIMEOUT_MS: '1000',
  };
  const server = await spawnServerProcess({ ...env, REDIS_KEY_PREFIX: prefix, ...extra }, 120_000);
  return {
    server,
    db,
    async stop() {
      await stopProcess(server);
      await deleteRedisPrefix(prefix).catch(() => undefined);
      await db.drop();
    },
  };
}

/** The stock of a product, read through the API with an admin token signed as `npm run token` signs it. */
export async function stockThroughApi(url: string, sku: string): Promise<number> {
  const token = await signViewerToken(
    { customerId: 'ops', role: 'admin' },
    loadConfig({ NODE_ENV: 'development' }).jwtSecret,
  );
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: `{ product(sku: ${JSON.stringify(sku)}) { stock } }` }),
  });
  return ((await response.json()) as { data: { product: { stock: number } } }).data.product.stock;
}

/** A scratch folder the examples run in (their HOME), made before a file's tests and removed after. */
export function exampleWorkDir(): () => string {
  let workDir: string | undefined;
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'og-docs-examples-'));
  });
  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });
  return () => {
    if (!workDir) throw new Error("the examples' folder is made in beforeAll");
    return workDir;
  };
}

/**
 * A server the tests of a `describe` send their examples to: started before them (`start`, which
 * may also run what the examples assume), stopped after; the URL it answers at.
 */
export function serverForExamples(start: () => Promise<RunningServer>): () => string {
  let running: RunningServer | undefined;
  beforeAll(async () => {
    running = await start();
  }, 180_000);
  afterAll(async () => {
    await running?.stop();
  });
  return () => {
    if (!running) throw new Error("the examples' server starts in beforeAll");
    return running.server.url;
  };
}
