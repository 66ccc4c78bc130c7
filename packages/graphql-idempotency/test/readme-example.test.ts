import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { runInThisContext } from 'node:vm';
import type { Redis } from 'ioredis';
import ts from 'typescript';
import { connectRedis, dropPrefix, uniquePrefix } from './support';

// The README's Yoga server, as a reader copies it: type-checked with `strict` (the package from its
// source), then run against the real Redis on a free port instead of 4000, under this run's prefix.
const PACKAGE_DIR = path.resolve(__dirname, '..');
const README = path.join(PACKAGE_DIR, 'README.md');
/** Where the example stands for the compiler: beside the tests, so that graphql-yoga resolves as here. */
const EXAMPLE_FILE = path.join(__dirname, 'readme-yoga.example.ts');

function readmeExample(name: string): string {
  const pattern = new RegExp(`<!-- example: ${name}[^>]*-->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``);
  const example = pattern.exec(readFileSync(README, 'utf8'))?.[1];
  if (example === undefined) throw new Error(`README.md has no ${name} example`);
  return example;
}

function yogaExample(): string {
  return readmeExample('yoga');
}

/**
 * The Apollo Server snippet, with what it takes from the Yoga example ("as above") declared: the
 * types a reader's own typeDefs, resolvers and guard have.
 */
function apolloExample(): string {
  return [
    "import type { IResolvers } from '@graphql-tools/utils';",
    "import type { IdempotencyGuard } from 'graphql-idempotency';",
    'declare const typeDefs: string;',
    'declare const resolvers: IResolvers;',
    'declare const guard: IdempotencyGuard;',
    readmeExample('apollo'),
  ].join('\n');
}

/** What `tsc --strict` says of the example (nothing when it compiles). */
function typeErrors(source: string): string[] {
  const options: ts.CompilerOptions = {
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

  it('runs: a key answers its caller once, and the same key of another caller (x-user-id) is its own', async () => {
    const source = yogaExample();
    expect(source).toContain('.listen(4000,');
    const script = ts.transpileModule(
      source.replace("'myapp:idem'", JSON.stringify(prefix)).replace('.listen(4000,', '.listen(0,'),
      { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } },
    ).outputText;
    const quiet = { log: () => undefined };
    // The module's code in a function of what a CommonJS module gets, so that the test can reach its server.
    const run = runInThisContext(
      `(function (require, exports, console) {\n${script}\nreturn { server, redis };\n})`,
    ) as (...values: unknown[]) => { server: Server; redis: Redis };
    running = run(require, {}, quiet);
    const { server } = running;
    if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const create = async (user: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user-id': user },
        body: JSON.stringify({
          query: 'mutation { createTicket(title: "Printer on fire", idempotencyKey: "ticket-0001") { id } }',
        }),
      });
      return response.json() as Promise<unknown>;
    };
    const first = await create('user-1');
    expect(first).toEqual({ data: { createTicket: { id: 'T-1' } } });
    expect(await create('user-1')).toEqual(first);
    expect(await create('user-2')).toEqual({ data: { createTicket: { id: 'T-2' } } });
  });
});

describe("the README's Apollo Server snippet", () => {
  it("compiles under strict: its plugin's scope reads the server's own context type (ApolloServer<Context>)", () => {
    expect(typeErrors(apolloExample())).toEqual([]);
  });
});
