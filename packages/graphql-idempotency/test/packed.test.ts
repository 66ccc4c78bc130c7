import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import ts from 'typescript';
import { TSC_INIT_OPTIONS, linkRepositoryModules, typeErrors } from './scratch-project';
import { REDIS_URL, connectRedis, dropPrefix, uniquePrefix } from './support';

// Proof that graphql-idempotency is a real package: `npm pack` makes its tarball, which is installed
// into a scratch project under the OS temp dir (from npm's cache where it can, else the registry:
// `--offline` failed on a fresh machine, whose cache `npm ci` fills with tarballs but not with the
// registry's metadata that resolving `lru-cache@^11` needs), next to the GraphQL
// servers a stranger would use (linked from this repository's node_modules, so no download). Then a
// GraphQL Yoga server and a schema-first Apollo Server, each in its own process, run on it against
// the real Redis: a storm of one key executes once and every caller gets the first answer.
const run = promisify(execFile);
const PACKAGE_DIR = path.resolve(__dirname, '..');
/** What the scratch project takes from this repository instead of the registry (with their own dependencies). */
const LINKED = [
  'graphql',
  'ioredis',
  'graphql-yoga',
  '@envelop/core',
  '@apollo/server',
  'type-graphql',
  'reflect-metadata',
  '@types/node',
];

let scratch: string;
let redis: Redis;
let prefix: string;
const servers: ChildProcess[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'graphql-idempotency-packed-'));
  redis = await connectRedis();
  prefix = uniquePrefix('packed');
  await run('npm', ['pack', '--pack-destination', scratch], { cwd: PACKAGE_DIR, timeout: 300_000 });
  const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'))!;
  writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--legacy-peer-deps',
      '--ignore-scripts',
      `./${tarball}`,
    ],
    { cwd: scratch, timeout: 180_000 },
  );
  linkRepositoryModules(scratch, LINKED);
  copyFileSync(path.join(__dirname, 'packed', 'server.js'), path.join(scratch, 'server.js'));
}, 600_000);

afterAll(async () => {
  for (const server of servers) server.kill();
  await dropPrefix(redis, prefix);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Starts the scratch project's server of this kind and waits for its port. */
function startServer(kind: 'yoga' | 'apollo'): Promise<string> {
  const child = spawn(process.execPath, ['server.js'], {
    cwd: scratch,
    env: { ...process.env, SERVER: kind, REDIS_URL, PREFIX: `${prefix}:${kind}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start: ${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening (\d+)/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}/graphql`);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`${kind} exited (${code}): ${output}`)));
  });
}

interface Answer {
  status: number;
  replayed: string | null;
  retryAfter: string | null;
  body: {
    data?: { createTicket?: { id: string; title: string } } | null;
    errors?: { extensions?: { code?: string; retryAfterMs?: number } }[];
  };
}

async function post(url: string, query: string, variables: object, user = 'ada'): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user': user },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    replayed: response.headers.get('idempotent-replayed'),
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Answer['body'],
  };
}

/** Sends until answered with data, waiting the hint while the key is in progress (at most 100 tries). */
async function postUntilAnswered(url: string, query: string, variables: object): Promise<Answer> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const answer = await post(url, query, variables);
    const error = answer.body.errors?.[0]?.extensions;
    if (error?.code !== 'IDEMPOTENCY_CONCURRENT_REQUEST') return answer;
    // The README's promise: an answer "in progress" carries Retry-After (whole seconds).
    if (!/^\d+$/.test(answer.retryAfter ?? ''))
      throw new Error(`in progress without Retry-After (${answer.retryAfter})`);
    await new Promise((resolve) => setTimeout(resolve, error.retryAfterMs ?? 50));
  }
  throw new Error('still in progress after 100 tries');
}

it('ships source maps that hold their sources: a map names ../src files the tarball leaves out', () => {
  const dist = path.join(scratch, 'node_modules', 'graphql-idempotency', 'dist');
  const maps = readdirSync(dist).filter((name) => name.endsWith('.js.map'));
  expect(maps.length).toBeGreaterThan(0);
  for (const name of maps) {
    const map = JSON.parse(readFileSync(path.join(dist, name), 'utf8')) as {
      sources: string[];
      sourcesContent?: string[];
    };
    map.sources.forEach((source, index) => {
      const readable = typeof map.sourcesContent?.[index] === 'string' || existsSync(path.resolve(dist, source));
      expect({ map: name, source, readable }).toEqual({ map: name, source, readable: true });
    });
  }
});

it('ships no build state: dist/ holds the incremental build info, which stays out of the tarball', () => {
  const dist = path.join(scratch, 'node_modules', 'graphql-idempotency', 'dist');
  expect(existsSync(path.join(PACKAGE_DIR, 'dist', 'build.tsbuildinfo'))).toBe(true);
  expect(readdirSync(dist).filter((name) => name.endsWith('.tsbuildinfo'))).toEqual([]);
});

it('ships the MIT license its package.json names', () => {
  const installed = path.join(scratch, 'node_modules', 'graphql-idempotency');
  const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { license?: string };
  expect(manifest.license).toBe('MIT');
  const license = readFileSync(path.join(installed, 'LICENSE'), 'utf8');
  expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} Order Gate contributors\n/);
  expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
});

/** The README's examples (`<!-- example: name -->`), as the installed package's README shows them. */
function readmeExample(name: string): string {
  const readme = readFileSync(path.join(scratch, 'node_modules', 'graphql-idempotency', 'README.md'), 'utf8');
  const example = new RegExp(`<!-- example: ${name}[^>]*-->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1];
  if (example === undefined) throw new Error(`README.md has no ${name} example`);
  return example;
}

/**
 * What tsc says of files in the scratch project, with `tsc --init`'s defaults (verbatimModuleSyntax
 * for ES modules only: a CommonJS file cannot have it), the packages resolved from the scratch
 * project's node_modules as a reader's would be.
 */
function typeErrorsInScratch(files: Record<string, string>, esm: boolean, options: ts.CompilerOptions = {}): string[] {
  const dir = mkdtempSync(path.join(scratch, 'ts-'));
  const names = Object.entries(files).map(([name, source]) => {
    writeFileSync(path.join(dir, name), source);
    return path.join(dir, name);
  });
  return typeErrors(names, { ...TSC_INIT_OPTIONS, verbatimModuleSyntax: esm, ...options }, dir);
}

describe("the README's examples against the packed package, in a TypeScript project of tsc --init's defaults", () => {
  it.each([
    ['an ES module (.mts)', '.mts', true],
    ['a CommonJS module (.cts)', '.cts', false],
  ])('compile as %s: the Yoga server and the Apollo Server server', (_kind, extension, esm) => {
    const files = { [`yoga${extension}`]: readmeExample('yoga'), [`apollo${extension}`]: readmeExample('apollo') };
    expect(typeErrorsInScratch(files, esm)).toEqual([]);
  });

  it.each([
    ['an ES module (.mts)', '.mts', true],
    ['a CommonJS module (.cts)', '.cts', false],
  ])('compile as %s: the type-graphql server, with the decorator options the README names', (_kind, extension, esm) => {
    const files = { [`type-graphql${extension}`]: readmeExample('type-graphql') };
    const decorators = { experimentalDecorators: true, emitDecoratorMetadata: true };
    expect(typeErrorsInScratch(files, esm, decorators)).toEqual([]);
  });

  it('import in an ES module gives every name require gives, on every entry point', async () => {
    writeFileSync(
      path.join(scratch, 'names.mjs'),
      [
        "import { createRequire } from 'node:module';",
        'const require = createRequire(import.meta.url);',
        'const names = {};',
        "for (const entry of ['graphql-idempotency', 'graphql-idempotency/envelop', 'graphql-idempotency/apollo']) {",
        '  const imported = await import(entry);',
        '  const required = require(entry);',
        "  const missing = Object.keys(required).filter((name) => name !== '__esModule' && imported[name] !== required[name]);",
        '  names[entry] = { count: Object.keys(required).length, missing, defaultIsTheModule: imported.default === required };',
        '}',
        'console.log(JSON.stringify(names));',
      ].join('\n'),
    );
    const { stdout } = await run(process.execPath, ['names.mjs'], { cwd: scratch });
    const names = JSON.parse(stdout) as Record<
      string,
      { count: number; missing: string[]; defaultIsTheModule: boolean }
    >;
    for (const [entry, found] of Object.entries(names)) {
      expect({ entry, missing: found.missing, defaultIsTheModule: found.defaultIsTheModule }).toEqual({
        entry,
        missing: [],
        defaultIsTheModule: true,
      });
      expect(found.count).toBeGreaterThan(1);
    }
  });
});

const BY_DIRECTIVE =
  'mutation ($key: String!, $title: String!) { createTicket(title: $title) @idempotent(key: $key) { id title } }';
const BY_ARGUMENT =
  'mutation ($key: String!, $title: String!) { createTicket(title: $title, idempotencyKey: $key) { id title } }';
const EXECUTIONS = '{ executions }';

describe.each(['yoga', 'apollo'] as const)('the packed package on %s', (kind) => {
  let url: string;
  beforeAll(async () => {
    url = await startServer(kind);
  }, 120_000);

  it.each([
    ['the @idempotent(key:) directive', BY_DIRECTIVE],
    ['the idempotencyKey argument', BY_ARGUMENT],
  ])('runs a storm of 40 calls with one key (%s) once, and repeats get the first answer', async (_form, query) => {
    const before = ((await post(url, EXECUTIONS, {})).body.data as unknown as { executions: number }).executions;
    const variables = { key: `ticket-${randomUUID()}`, title: 'Printer on fire' };
    const answers = await Promise.all(Array.from({ length: 40 }, () => postUntilAnswered(url, query, variables)));
    const after = ((await post(url, EXECUTIONS, {})).body.data as unknown as { executions: number }).executions;
    expect(after - before).toBe(1);
    const first = answers[0].body.data?.createTicket;
    expect(first).toMatchObject({ title: 'Printer on fire' });
    expect(answers.map((answer) => answer.body.data?.createTicket)).toEqual(answers.map(() => first));

    // Twice: on Yoga the second repeat is the response-level replay's stored response.
    for (const repeat of [await post(url, query, variables), await post(url, query, variables)]) {
      expect(repeat.body.data?.createTicket).toEqual(first);
      expect(repeat.replayed).toBe('true');
    }
    const reused = await post(url, query, { ...variables, title: 'Another ticket' });
    expect(reused.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_PARAMETER_MISMATCH');
    expect(((await post(url, EXECUTIONS, {})).body.data as unknown as { executions: number }).executions).toBe(after);
  });

  it('answers a malformed key with BAD_IDEMPOTENCY_KEY, without running', async () => {
    const answer = await post(url, BY_DIRECTIVE, { key: 'short', title: 'x' });
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_IDEMPOTENCY_KEY');
  });
});

describe('an ES module application on the packed package: type-graphql resolvers on Apollo Server', () => {
  it('runs a key once, replays its response, and loads no CommonJS copy of @apollo/server', async () => {
    const source = readFileSync(path.join(__dirname, 'packed', 'esm-app.ts'), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
      },
    });
    writeFileSync(path.join(scratch, 'esm-app.mjs'), outputText);
    const { stdout } = await run(process.execPath, ['esm-app.mjs'], {
      cwd: scratch,
      env: { ...process.env, REDIS_URL, PREFIX: `${prefix}:esm-app` },
    });
    const first = { data: { createTicket: { id: 'ticket-1', title: 'Printer on fire' } } };
    expect(JSON.parse(stdout)).toEqual({
      executions: 1,
      guardedKeys: ['esm-app-ticket-1'],
      replays: 1,
      answers: [first, first, first],
      // The package needs @apollo/server for its types only. type-graphql's CommonJS build does load
      // beside the application's ES one (the adapter calls its decorator factories); the two keep
      // one metadata storage, so the guard above ran: the README says so.
      commonJsPeers: ['type-graphql'],
    });
  });
});
