import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LOCAL_DATABASE_URL } from '../../scripts/harness/local-database';
import { signViewerToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { docsExample, readDoc, startVariables } from '../support/docs';
import { deleteRedisPrefix, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis';
import { PROJECT_ROOT, SERVER_ENTRY, spawnServerProcess } from '../support/server';
import type { ServerProcess } from '../support/server';

/**
 * The shell examples of README.md, docs/order-lifecycle.md and docs/channels.md, taken from the Markdown and run with bash
 * against the built server started as the README says (`npm start` is `npm run build && node
 * dist/src/main.js`, checked below), on a free port. Only what must differ here is substituted: the port, and
 * `npm run <script> --` by the built command that script runs after its build (checked against
 * package.json below). What the text says an example answers is read from the text too, so that
 * the test fails when an example, or what the page says it prints, changes.
 */

/** `npm run` scripts the examples call, and the built command each runs after `npm run build`. */
const BUILT_COMMANDS: Record<string, string> = {
  'npm run --silent token --': 'node dist/scripts/dev-token.js',
  'npm run --silent channels:pos --': 'node dist/src/channels/pos-cli.js',
};

/** The example as it runs here: the server's address for localhost:4000, the npm scripts built. */
function runnable(example: string, url: string): string {
  let script = example.replaceAll('http://localhost:4000', url).replaceAll('localhost:4000', url);
  for (const [npm, built] of Object.entries(BUILT_COMMANDS))
    script = script.replaceAll(npm, `${built.replace(/^node /, `node ${PROJECT_ROOT}/`)}`);
  // The POS CLI's own default is port 4000: hand it the server's address.
  return script.replace(/(pos-cli\.js)/, `$1 --url ${url}`);
}

/** The example's commands, a command's continuation lines (`\` at the end) joined to it. */
function commandsOf(example: string): string[] {
  return example.split(/(?<!\\)\n/).filter((line) => line.trim().length > 0);
}

/** Runs a script with bash in `cwd`, with no environment of this test (no DATABASE_URL, JWT_SECRET, …). */
async function bash(script: string, cwd: string): Promise<string> {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: cwd };
  return (await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { cwd, env })).stdout;
}

/** The outputs of a script's commands that END follows, in order. */
function outputsOf(stdout: string): string[] {
  return stdout.split('\n--- end of command\n').slice(0, -1);
}
const END = 'echo; echo "--- end of command"';

/** What a page states, read with a pattern; the test fails when the sentence changes. */
async function stated(file: string, pattern: RegExp): Promise<string[]> {
  const match = pattern.exec((await readDoc(file)).replace(/\s+/g, ' '));
  if (!match) throw new Error(`${file} no longer states ${String(pattern)}`);
  return match.slice(1);
}

interface RunningServer {
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
async function startEmbedded(): Promise<RunningServer> {
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
async function startWithServers(extra: Record<string, string>): Promise<RunningServer & { db: TestDatabase }> {
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
async function stockThroughApi(url: string, sku: string): Promise<number> {
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

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'og-docs-examples-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('the npm scripts the examples call', () => {
  const packageScripts = async () =>
    (
      JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;

  it('npm start: builds, then runs the very entry every test that starts the server runs', async () => {
    // The README's `npm start` stands for `spawnServerProcess` here: the two name one file.
    expect((await packageScripts()).start).toBe(`npm run build && node ${SERVER_ENTRY}`);
  });

  it('run exactly the built command the tests substitute, after a build', async () => {
    const scripts = await packageScripts();
    for (const [npm, built] of Object.entries(BUILT_COMMANDS)) {
      const name = npm.replace(/^npm run (--silent )?/, '').replace(/ --$/, '');
      expect([name, scripts[name]]).toEqual([
        name,
        expect.stringMatching(new RegExp(`^npm run build[^&]*&& ${built}$`)) as string,
      ]);
    }
  });
});

describe.each([
  ['embedded', () => startEmbedded()],
  ['local servers', () => startWithServers({})],
])("README.md's first order, against `npm start` (%s mode)", (_mode, start) => {
  let running: RunningServer | undefined;
  beforeAll(async () => {
    running = await start();
  }, 180_000);
  afterAll(async () => {
    await running?.stop();
  });

  it('creates the product and the order; the last command again replays it as the text says; a new key is held', async () => {
    const url = running!.server.url;
    const [replayType, detectedBy, header, headerValue, newKeyType] = await stated(
      'README.md',
      /Send the last command again: `(\w+)` with the same order id \(`detectedBy: (\w+)`, and the header `([\w-]+): (\w+)`\), and the stock is taken once\. The same cart under a \*new\* key answers `(\w+)`/,
    );
    const commands = commandsOf(runnable(await docsExample('first-order', 'README.md'), url));
    const last = commands[commands.length - 1];
    expect(last).toContain('createOrder(idempotencyKey: \\"checkout-2026-0001\\"');
    const script = [
      ...commands.map((command) => (command.startsWith('curl ') ? `${command}\n${END}` : command)),
      `${last.replace(/^curl -s /, 'curl -s -D - ')}\n${END}`,
      `${last.replace('checkout-2026-0001', 'checkout-2026-0002')}\n${END}`,
    ].join('\n');

    const [upsert, created, replay, newKey] = outputsOf(await bash(script, workDir));

    expect(JSON.parse(upsert)).toEqual({ data: { upsertProduct: { sku: 'TEA-1', stock: 100 } } });
    const order = (JSON.parse(created) as { data: { createOrder: { __typename: string; order: { id: string } } } }).data
      .createOrder;
    expect(order).toEqual({ __typename: 'OrderCreated', order: { id: expect.any(String) as string, totalCents: 900 } });
    const [head, body] = replay.split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^${header}: ${headerValue}\\r?$`, 'im'));
    expect(JSON.parse(body)).toEqual({
      data: { createOrder: { __typename: replayType, detectedBy, originalOrder: { id: order.order.id } } },
    });
    // The held order's id and its candidate, the first order: what the README's curl selects to go on with.
    expect(JSON.parse(newKey)).toEqual({
      data: {
        createOrder: {
          __typename: newKeyType,
          heldOrderId: expect.any(String) as string,
          candidate: { id: order.order.id },
        },
      },
    });
    expect(await stockThroughApi(url, 'TEA-1')).toBe(100 - 2);
  });
});

describe("docs/order-lifecycle.md's cancellation, after the README's first order, against `npm start` with local servers", () => {
  let running: (RunningServer & { db: TestDatabase }) | undefined;
  beforeAll(async () => {
    running = await startWithServers({});
  }, 180_000);
  afterAll(async () => {
    await running?.stop();
  });

  it('cancels the order once: the status the text states, again replayed, under a new key refused; the stock back', async () => {
    const url = running!.server.url;
    const [cancelled, replayStatus, header, value, newKeyStatus, newKeyCode] = await stated(
      'docs/order-lifecycle.md',
      /It answers `(\d{3})` with the order `CANCELLED`, its 2 units of `TEA-1` back in stock\. Send the last command again: `(\d{3})` with `([\w-]+): (\w+)`, nothing changed; the same under a new key: `(\d{3})` `(\w+)`\./,
    );
    await bash(runnable(await docsExample('first-order', 'README.md'), url), workDir);
    expect(await stockThroughApi(url, 'TEA-1')).toBe(100 - 2);
    const commands = commandsOf(runnable(await docsExample('cancel', 'docs/order-lifecycle.md'), url));
    const last = commands[commands.length - 1];
    expect(last).toContain("idempotency-key: cancel-2026-0001'");
    const script = [...commands, END, last, END, last.replace('cancel-2026-0001', 'cancel-2026-0002'), END].join('\n');

    const [first, again, newKey] = outputsOf(await bash(script, workDir));

    expect(first).toMatch(new RegExp(`^HTTP/1\\.1 ${cancelled} `));
    const body = JSON.parse(first.split('\r\n\r\n')[1]) as { order: { status: string } };
    expect(body.order.status).toBe('CANCELLED');
    expect(again).toMatch(new RegExp(`^HTTP/1\\.1 ${replayStatus} `));
    expect(again).toMatch(new RegExp(`^${header}: ${value}\\r$`, 'im'));
    expect(newKey).toMatch(new RegExp(`^HTTP/1\\.1 ${newKeyStatus} `));
    expect(JSON.parse(newKey.split('\r\n\r\n')[1])).toMatchObject({ code: newKeyCode });
    expect(await stockThroughApi(url, 'TEA-1')).toBe(100);
  });
});

describe('the examples of docs/channels.md, against `npm start` with local servers', () => {
  let running: (RunningServer & { db: TestDatabase }) | undefined;
  let url: string;
  const secretOf = async (name: string) => /^SECRET=(\S+)/m.exec(await docsExample(name))?.[1] ?? '';

  beforeAll(async () => {
    // The server runs with the variables of the page's start command, whose secrets the examples sign with.
    const variables = startVariables(await docsExample('channels-server'));
    expect(variables['MARKETPLACE_WEBHOOK_SECRETS']).toBe(
      `acme=${await secretOf('webhook')},bazaar=${await secretOf('standard-webhook')}`,
    );
    running = await startWithServers(variables);
    url = running.server.url;
    // The README's first order, as the page says these examples assume (the product TEA-1).
    await bash(runnable(await docsExample('first-order', 'README.md'), url), workDir);
  }, 180_000);
  afterAll(async () => {
    await running?.stop();
  });

  it('webhook: signed with openssl, created; sent again with the same TS and SIG, the answer the text states', async () => {
    const [again] = await stated(
      'docs/channels.md',
      /Send it again \(same `TS` and `SIG`, within 5 minutes\): `"status":"(\w+)"` with the same `orderId`/,
    );
    const commands = commandsOf(runnable(await docsExample('webhook'), url));
    const script = [...commands, END, commands[commands.length - 1], END].join('\n');
    const [first, second] = outputsOf(await bash(script, workDir)).map(
      (text) => JSON.parse(text) as Record<string, unknown>,
    );
    expect(first).toEqual({ status: 'created', orderId: expect.any(String) as string, possibleDuplicateOfId: null });
    expect(second).toMatchObject({ status: again, orderId: first['orderId'] });
  });

  it('standard-webhook: signed with openssl per Standard Webhooks; the same ID re-signed answers as the text states', async () => {
    const [firstStatus, againStatus, detectedBy] = await stated(
      'docs/channels.md',
      /It answers `\{"status":"(\w+)","orderId":…\}`; the same `ID` again, with a fresh `TS` and `SIG`, answers `"status":"(\w+)"` with the same `orderId` and `"detectedBy":"(\w+)"`/,
    );
    const commands = commandsOf(runnable(await docsExample('standard-webhook'), url));
    // The same delivery again, signed anew: every command but the one that draws the ID.
    const resign = commands.filter((command) => !command.startsWith('ID='));
    const script = [...commands, END, 'sleep 1', ...resign, END].join('\n');
    const [first, second] = outputsOf(await bash(script, workDir)).map(
      (text) => JSON.parse(text) as Record<string, unknown>,
    );
    expect(first).toMatchObject({ status: firstStatus, orderId: expect.any(String) as string });
    expect(second).toEqual({ status: againStatus, orderId: first['orderId'], detectedBy });
  });

  it('pos: the sample file by the CLI (every receipt in, exit 0), then by curl: every receipt a duplicate', async () => {
    await writeFile(path.join(workDir, 'day.csv'), await docsExample('pos-csv'));
    const commands = commandsOf(runnable(await docsExample('pos'), url));
    const script = commands
      .map((command) => (command.startsWith('ADMIN=') ? command : `${command}\n${END}`))
      .join('\n');
    const [cli, upload] = outputsOf(await bash(script, workDir));
    expect(JSON.parse(cli)).toMatchObject({ receipts: 2, created: 2, duplicates: 0, rejected: 0 });
    const lines = upload
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[lines.length - 1]).toMatchObject({ type: 'report', created: 0, duplicates: 2, problems: [] });
  });

  it('rest: the status of a creation, then the same command again: the status and header the table states', async () => {
    const [createdStatus] = await stated('docs/channels.md', /\| \*\*(\d{3})\*\* \| created by this request;/);
    const [replayStatus, header, value] = await stated(
      'docs/channels.md',
      /\| \*\*(\d{3})\*\* \+ `([\w-]+): (\w+)` \| a repeat of a completed request/,
    );
    const commands = commandsOf(runnable(await docsExample('rest'), url));
    const script = [...commands, END, commands[commands.length - 1], END].join('\n');
    const [first, second] = outputsOf(await bash(script, workDir));
    expect(first).toMatch(new RegExp(`^HTTP/1\\.1 ${createdStatus} `));
    expect(second).toMatch(new RegExp(`^HTTP/1\\.1 ${replayStatus} `));
    expect(second).toMatch(new RegExp(`^${header}: ${value}\\r$`, 'im'));
  });
});
