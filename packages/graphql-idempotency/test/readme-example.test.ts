import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ApolloServer, BaseContext } from '@apollo/server';
import type { Redis } from 'ioredis';
import { execute, parse } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import ts from 'typescript';
import { IDEMPOTENT_DIRECTIVE_SDL } from '../src';
import type { IdempotencyPolicy, PreparedRequest } from '../src';
import { connectRedis, dropPrefix, uniquePrefix } from './support';

// The README's Yoga, Apollo Server and type-graphql servers, as a reader copies them: type-checked
// with `strict` (the package from its source), then run against the real Redis on a free port
// instead of 4000, under this run's prefix. packed.test.ts type-checks them again against the packed package.
const PACKAGE_DIR = path.resolve(__dirname, '..');
const README = path.join(PACKAGE_DIR, 'README.md');
/** Where the example stands for the compiler: beside the tests, so that graphql-yoga resolves as here. */
const EXAMPLE_FILE = path.join(__dirname, 'readme-yoga.example.ts');

function readmeExample(name: string, language = 'ts'): string {
  const pattern = new RegExp(`<!-- example: ${name}[^>]*-->\\s*\`\`\`${language}\\n([\\s\\S]*?)\`\`\``);
  const example = pattern.exec(readFileSync(README, 'utf8'))?.[1];
  if (example === undefined) throw new Error(`README.md has no ${name} example`);
  return example;
}

function yogaExample(): string {
  return readmeExample('yoga');
}

/**
 * The README's "Try it" curl, run by bash as a reader pastes it, but sent to `origin` instead of
 * localhost:4000 and, when `user` is given, as that caller instead of the one it names.
 */
async function tryIt(origin: string, user?: string): Promise<unknown> {
  const curl = readmeExample('try-it', 'sh');
  expect(curl).toContain(' localhost:4000/graphql ');
  expect(curl).toContain("-H 'x-user-id: user-1'");
  const command = curl
    .replace(' localhost:4000/', ` ${origin}/`)
    .replace("-H 'x-user-id: user-1'", `-H 'x-user-id: ${user ?? 'user-1'}'`);
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', command]);
  return JSON.parse(stdout) as unknown;
}

/**
 * The response-level replay snippet, with what it takes from the examples declared: their guard, and
 * the Apollo example's Context.
 */
function replayExample(): string {
  return [
    "import type { IdempotencyGuard } from 'graphql-idempotency';",
    'declare const guard: IdempotencyGuard;',
    'interface Context { userId: string }',
    readmeExample('replay'),
  ].join('\n');
}

/** The `policies` snippet, with the examples' guard and Context declared, and a schema for guardSchema. */
function policiesExample(): string {
  return [
    "import type { IdempotencyGuard } from 'graphql-idempotency';",
    "import type { GraphQLSchema } from 'graphql';",
    'declare const guard: IdempotencyGuard;',
    'declare const schema: GraphQLSchema;',
    'interface Context { userId: string }',
    readmeExample('policies'),
  ].join('\n');
}

/** The policy-class snippet, with the type-graphql example's guard and Context declared. */
function policyClassExample(): string {
  return [
    "import type { IdempotencyGuard } from 'graphql-idempotency';",
    "import type { IdempotencyContext } from 'graphql-idempotency/type-graphql';",
    'declare const guard: IdempotencyGuard;',
    'interface Context extends IdempotencyContext { userId: string }',
    readmeExample('policy-class'),
  ].join('\n');
}

/** What type-graphql's decorators need of the compiler (the README says so). */
const DECORATORS: ts.CompilerOptions = { experimentalDecorators: true, emitDecoratorMetadata: true };

/** The example's module code as a function of what a CommonJS module gets, returning the named values. */
function runnable<T>(source: string, returned: string, options: ts.CompilerOptions = {}): (...values: unknown[]) => T {
  const script = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      ...options,
    },
  }).outputText;
  // Made by this realm's Function (jest's), as the packages it requires: type-graphql compares the
  // example's `String` with its own, and its decorators' metadata is on this realm's Reflect.
  const ModuleFunction = (Object.getPrototypeOf(runnable) as { constructor: unknown }).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => T;
  return new ModuleFunction('require', 'exports', 'console', `${script}\nreturn ${returned};`);
}

/** What `tsc --strict` says of the example (nothing when it compiles). */
function typeErrors(source: string, extraOptions: ts.CompilerOptions = {}): string[] {
  const options: ts.CompilerOptions = {
    ...extraOptions,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    baseUrl: PACKAGE_DIR,
    paths: { 'graphql-idempotency': ['src/index.ts'], 'graphql-idempotency/*': ['src/*'] },
  };
  const base = ts.createCompilerHost(options);
  const host: ts.CompilerHost = {
    ...base,
    fileExists: (file) => file === EXAMPLE_FILE || base.fileExists(file),
    readFile: (file) => (file === EXAMPLE_FILE ? source : base.readFile(file)),
    getSourceFile: (file, language, ...rest) =>
      file === EXAMPLE_FILE
        ? ts.createSourceFile(file, source, language, true)
        : base.getSourceFile(file, language, ...rest),
  };
  const program = ts.createProgram([EXAMPLE_FILE], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

/**
 * Runs one of the README's Apollo Server examples from within a describe, as a reader would, but
 * under its own key prefix and on a free port instead of 4000; answers the URL it prints. Its server
 * and Redis are ended after the describe's tests.
 */
function apolloExample(name: string, options: ts.CompilerOptions = {}): () => Promise<string> {
  let cleanup: Redis;
  const prefix = uniquePrefix(`readme-${name}`);
  let running: { server: ApolloServer<BaseContext>; redis: Redis } | undefined;
  beforeAll(async () => {
    cleanup = await connectRedis();
  });
  afterAll(async () => {
    await running?.server.stop();
    running?.redis.disconnect();
    await dropPrefix(cleanup, prefix);
  });
  return () => {
    const source = readmeExample(name);
    expect(source).toContain('port: 4000');
    const run = runnable<{ server: ApolloServer<BaseContext>; redis: Redis }>(
      source.replace("'myapp:idem'", JSON.stringify(prefix)).replace('port: 4000', 'port: 0'),
      '{ server, redis }',
      options,
    );
    return new Promise<string>((resolve) => {
      running = run(require, {}, { log: resolve });
    });
  };
}

describe("the README's GraphQL Yoga example", () => {
  let cleanup: Redis;
  const prefix = uniquePrefix('readme');
  let running: { server: Server; redis: Redis } | undefined;
  beforeAll(async () => {
    cleanup = await connectRedis();
  });
  afterAll(async () => {
    running?.server.close();
    running?.redis.disconnect();
    await dropPrefix(cleanup, prefix);
  });

  it('compiles under strict', () => {
    expect(typeErrors(yogaExample())).toEqual([]);
  });

  it("runs: the README's curl twice answers one ticket, and the same curl as another caller (x-user-id) its own", async () => {
    const source = yogaExample();
    expect(source).toContain('.listen(4000,');
    const run = runnable<{ server: Server; redis: Redis }>(
      source.replace("'myapp:idem'", JSON.stringify(prefix)).replace('.listen(4000,', '.listen(0,'),
      '{ server, redis }',
    );
    const quiet = { log: () => undefined };
    running = run(require, {}, quiet);
    const { server } = running;
    if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
    const origin = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const first = await tryIt(origin);
    expect(first).toEqual({ data: { createTicket: { id: 'T-1' } } });
    expect(await tryIt(origin)).toEqual(first);
    expect(await tryIt(origin, 'user-2')).toEqual({ data: { createTicket: { id: 'T-2' } } });
  });
});

describe("the README's GraphQL Yoga example with Redis down at start", () => {
  // ioredis emits 'error' at every failed connection attempt, every 2 s at most for as long as
  // Redis is down; on a client with no 'error' listener it prints each one with its stack
  // ("[ioredis] Unhandled error event"). (Not seen by a console spy here: ioredis checks
  // `instanceof Error`, and jest's realm has its own Error.)
  it("listens for the client's errors and says once that Redis is unavailable; it does not listen yet", async () => {
    const deadPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const warnings: unknown[][] = [];
    const source = yogaExample()
      .replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${deadPort}`)
      .replace('.listen(4000,', '.listen(0,');
    const run = runnable<{ server: Server; redis: Redis }>(source, '{ server, redis }');
    const quiet = { log: () => undefined, warn: (...args: unknown[]) => warnings.push(args) };
    const { server, redis } = run(require, {}, quiet);
    try {
      // Several failed attempts (ioredis waits 50, 100, 150 … ms between them).
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(redis.listenerCount('error')).toBeGreaterThan(0);
      expect(warnings).toEqual([[expect.stringContaining('ECONNREFUSED')]]);
      expect(server.listening).toBe(false);
    } finally {
      redis.disconnect();
    }
  });
});

describe("the README's Apollo Server example", () => {
  const start = apolloExample('apollo');

  it("compiles under strict: its plugin's scope reads the server's own context type (ApolloServer<Context>)", () => {
    expect(typeErrors(readmeExample('apollo'))).toEqual([]);
  });

  it('runs: a storm of 20 calls with one key creates one ticket, and every caller gets it', async () => {
    const url = await start();
    const create = async (key: string) => {
      for (;;) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-user-id': 'user-1' },
          body: JSON.stringify({
            query: 'mutation ($key: String) { createTicket(title: "Printer on fire") @idempotent(key: $key) { id } }',
            variables: { key },
          }),
        });
        const body = (await response.json()) as {
          data?: { createTicket: { id: string } } | null;
          errors?: { extensions?: { code?: string } }[];
        };
        const replayed = response.headers.get('idempotent-replayed');
        if (body.data) return { ...body.data.createTicket, replayed };
        // Told to retry: the README's promise is a Retry-After header with it.
        expect({ code: body.errors?.[0]?.extensions?.code, retryAfter: response.headers.get('retry-after') }).toEqual({
          code: 'IDEMPOTENCY_CONCURRENT_REQUEST',
          retryAfter: '1',
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const storm = await Promise.all(Array.from({ length: 20 }, () => create('ticket-storm-0001')));
    expect(new Set(storm.map((answer) => answer.id))).toEqual(new Set(['T-1']));
    expect(await create('ticket-storm-0001')).toEqual({ id: 'T-1', replayed: 'true' });
    // The storm ran the resolver once: the next key's ticket is the second.
    expect(await create('ticket-storm-0002')).toEqual({ id: 'T-2', replayed: null });
  });
});

describe("the README's response-level replay snippet", () => {
  it("compiles under strict, its identities typed by each server's context", () => {
    expect(typeErrors(replayExample())).toEqual([]);
  });
});

describe("the README's policies snippet", () => {
  it('compiles under strict: a policy per mutation, on each adapter, and the key read in a resolver', () => {
    expect(typeErrors(policiesExample())).toEqual([]);
  });

  it("runs: the key of @idempotent(key:) reaches the resolver's row, which findCommitted answers as the guard's repeat", async () => {
    const guardLine = 'guardSchema(schema, { guard, policies });';
    const source = readmeExample('policies');
    expect(source).toContain(guardLine);
    // The snippet's guard and schema, which it takes from the examples: a memory store, and its resolvers in a schema.
    const preamble = `const guard = new (require('graphql-idempotency').IdempotencyGuard)(
      new (require('graphql-idempotency').MemoryClaimStore)(),
      { leaseMs: 30000, retentionMs: 60000, retryAfterMs: 200, storeTimeoutMs: 1000 });`;
    const sdl = `${IDEMPOTENT_DIRECTIVE_SDL} type Ticket { id: ID! title: String! } type Query { ticket: Ticket }
      type Mutation { createTicket(title: String!, idempotencyKey: String): Ticket! }`;
    const withSchema = source.replace(
      guardLine,
      `const schema = require('graphql-yoga').createSchema({ typeDefs: ${JSON.stringify(sdl)}, resolvers });\n${guardLine}`,
    );
    type Ran = {
      schema: GraphQLSchema;
      createTicket: IdempotencyPolicy<Record<string, unknown>, { userId: string }, unknown>;
    };
    const { schema, createTicket } = runnable<Ran>(`${preamble}\n${withSchema}`, '{ schema, createTicket }')(
      require,
      {},
      console,
    );
    const context = { userId: 'user-1' };
    const send = () =>
      execute({
        schema,
        document: parse('mutation { createTicket(title: "Toner low") @idempotent(key: "policies-0001") { id } }'),
        contextValue: context,
      });
    expect(await send()).toEqual({ data: { createTicket: { id: 'T-1' } } });
    expect(await send()).toEqual({ data: { createTicket: { id: 'T-1' } } });
    const scope = { operation: 'createTicket', scope: 'user-1', key: 'policies-0001' };
    const row = await createTicket.findCommitted(scope, context);
    // The row's fingerprint is the one the guard gives the request: a repeat found there is a duplicate.
    expect(row).toMatchObject({
      fingerprint: (createTicket.prepare({ title: 'Toner low' }, context, scope.key) as PreparedRequest).fingerprint,
    });
  });
});

describe("the README's type-graphql example", () => {
  const start = apolloExample('type-graphql', DECORATORS);

  it('compiles under strict with the decorator options it names', () => {
    expect(typeErrors(readmeExample('type-graphql'), DECORATORS)).toEqual([]);
  });

  it('runs: a key, as the argument or as @idempotent(key:), creates one ticket, its repeat marked Idempotent-Replayed; a key on a query is refused', async () => {
    const url = await start();
    const send = async (query: string, variables: object = {}) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user-id': 'user-1' },
        body: JSON.stringify({ query, variables }),
      });
      return { body: (await response.json()) as unknown, replayed: response.headers.get('idempotent-replayed') };
    };
    const byArgument = 'mutation ($key: String) { createTicket(title: "Jammed", idempotencyKey: $key) { id } }';
    const byDirective = 'mutation ($key: String) { createTicket(title: "Jammed") @idempotent(key: $key) { id } }';
    const first = { body: { data: { createTicket: { id: 'T-1' } } }, replayed: null };
    expect(await send(byArgument, { key: 'ticket-tg-0001' })).toEqual(first);
    expect(await send(byDirective, { key: 'ticket-tg-0001' })).toEqual({ ...first, replayed: 'true' });
    expect(await send(byDirective, { key: 'ticket-tg-0002' })).toEqual({
      body: { data: { createTicket: { id: 'T-2' } } },
      replayed: null,
    });
    expect((await send('{ ticket(id: "T-1") @idempotent(key: "ticket-tg-0003") { id } }')).body).toMatchObject({
      errors: [{ extensions: { code: 'IDEMPOTENCY_KEY_NOT_SUPPORTED', field: 'Query.ticket' } }],
    });
  });
});

describe("the README's policy-class snippet", () => {
  const missing = '@Idempotent(PolicyClass) needs a `container` in the GraphQL context.';

  it('compiles under strict with the decorator options the README names', () => {
    expect(typeErrors(policyClassExample(), DECORATORS)).toEqual([]);
  });

  it("runs: the context's container gives @Idempotent the policy; without it the field fails as the README says, its resolver not run", async () => {
    // The example's guard (on a memory store), and a schema of the snippet's resolver with a query
    // beside it (type-graphql wants one), as a reader's schema has.
    const preamble = `require('reflect-metadata');
      const guard = new (require('graphql-idempotency').IdempotencyGuard)(
        new (require('graphql-idempotency').MemoryClaimStore)(),
        { leaseMs: 30000, retentionMs: 60000, retryAfterMs: 200, storeTimeoutMs: 1000 });`;
    const schemaOf = `const { Query, buildSchemaSync } = require('type-graphql');
      @Resolver()
      class PingResolver {
        @Query(() => String)
        ping(): string { return 'pong'; }
      }
      const schema = buildSchemaSync({ resolvers: [NoteResolver, PingResolver] });`;
    type Ran = { schema: GraphQLSchema; contextOf: (userId: string) => { container?: unknown } };
    const { schema, contextOf } = runnable<Ran>(
      `${preamble}\n${readmeExample('policy-class')}\n${schemaOf}`,
      '{ schema, contextOf }',
      DECORATORS,
    )(require, {}, console);
    const send = async (contextValue: object, key: string) =>
      execute({
        schema,
        document: parse(`mutation { createNote(text: "Buy milk", idempotencyKey: "${key}") }`),
        contextValue,
      });
    const first = { data: { createNote: 'Note 1: Buy milk' } };
    expect(await send(contextOf('user-1'), 'note-key-0001')).toEqual(first);
    expect(await send(contextOf('user-1'), 'note-key-0001')).toEqual(first);
    const { container: _container, ...withoutContainer } = contextOf('user-1');
    const refused = await send(withoutContainer, 'note-key-0002');
    expect(refused.errors?.map((error) => error.message)).toEqual([missing]);
    expect(readFileSync(README, 'utf8')).toContain(`\`\`${missing}\`\``);
    // The refused call ran nothing: the next note is the second.
    expect(await send(contextOf('user-1'), 'note-key-0002')).toEqual({ data: { createNote: 'Note 2: Buy milk' } });
  });
});
