import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import {
  TSC_INIT_OPTIONS,
  linkRepositoryModules,
  typeErrors,
} from '../../packages/graphql-idempotency/test/scratch-project';
import { docsExample } from '../support/docs';
import { PROJECT_ROOT } from '../support/server';

// docs/tokens-and-sdk.md: an app takes src/client/ as source. Here it is copied, as that page says,
// into scratch projects that are not this repository's: Node projects without the DOM library
// (types from @types/node, Node 20's fetch and Web Crypto), with tsc --init's strictness
// (exactOptionalPropertyTypes, noUncheckedIndexedAccess, verbatimModuleSyntax, declaration), as
// an ES module, as CommonJS and behind a bundler, and a browser project without @types/node. The
// page's examples and a tour of the options compile there against the source, and against the
// declarations (.d.ts) that the project's tsc emits from it.

const SDK_SOURCE = path.join(PROJECT_ROOT, 'src/client');
/** What the page has the app install beside the SDK (and the GraphQL peer npm adds with it), and Node's types. */
const INSTALLED = ['@graphql-typed-document-node/core', 'graphql', '@types/node'];

const NODE_ONLY: ts.CompilerOptions = { lib: ['lib.es2022.d.ts'], types: ['node'] };
const BUNDLER: ts.CompilerOptions = {
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
};

interface UserProject {
  /** package.json's "type": how Node (and tsc's nodenext) reads the project's .ts files. */
  type: 'module' | 'commonjs';
  options: ts.CompilerOptions;
}

const PROJECTS: Record<string, UserProject> = {
  'Node ES module (nodenext, no DOM)': { type: 'module', options: { ...TSC_INIT_OPTIONS, ...NODE_ONLY } },
  // verbatimModuleSyntax forbids import/export in a CommonJS file: a CommonJS project goes without it.
  'Node CommonJS (nodenext, no DOM)': {
    type: 'commonjs',
    options: { ...TSC_INIT_OPTIONS, ...NODE_ONLY, verbatimModuleSyntax: false },
  },
  'Node behind a bundler (no DOM)': { type: 'module', options: { ...TSC_INIT_OPTIONS, ...NODE_ONLY, ...BUNDLER } },
  'browser behind a bundler (DOM, no @types/node)': {
    type: 'module',
    options: { ...TSC_INIT_OPTIONS, ...BUNDLER, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] },
  },
};

/** The SDK's public API beyond the page's example, as its sections show it: keys, options, lifecycle calls, failures. */
const OPTIONS_TOUR = `
import { DEFAULT_RETRY_POLICY, InvalidArgumentError, OrderGateClient, createIdempotencyKey } from './src/client/index.js';
import type { OrderFailure, RequestFailure, RetryPolicy, SdkErrorCode } from './src/client/index.js';

const retry: Partial<RetryPolicy> = { maxAttempts: 3, maxRetryAfterMs: DEFAULT_RETRY_POLICY.maxRetryAfterMs };
const client = new OrderGateClient({
  url: 'https://api.example.com/graphql',
  authToken: async () => 'a fresh token',
  customerId: 'alice',
  attemptTimeoutMs: 5_000,
  fetch: globalThis.fetch,
  retry,
});

export async function resume(key: string): Promise<number | undefined> {
  const fresh = await createIdempotencyKey({ customerId: 'alice', timestamp: Date.now() });
  const cancelled = await client.cancelOrder('order-1', 'changed my mind', { idempotencyKey: key });
  if (!cancelled.ok) return retryAfterMsOf(cancelled.failure);
  const outcome = await client.createOrder({ currency: 'EUR', items: [{ sku: 'TEA-1', quantity: 1 }] }, { idempotencyKey: fresh });
  return outcome.ok ? undefined : retryAfterMsOf(outcome.failure);
}

function retryAfterMsOf(failure: OrderFailure | { kind: string }): number | undefined {
  return 'retryAfterMs' in failure && typeof failure.retryAfterMs === 'number' ? failure.retryAfterMs : undefined;
}

const OFFLINE: readonly SdkErrorCode[] = ['NETWORK_ERROR', 'TIMEOUT'];
export function offline(failure: RequestFailure): boolean {
  return OFFLINE.some((code) => code === failure.code);
}
export function callerBug(error: unknown): boolean {
  return error instanceof InvalidArgumentError && error.code === 'INVALID_ARGUMENT';
}
`;

let scratch: string;
let consumers: Record<string, string>;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'og-sdk-projects-'));
  linkRepositoryModules(scratch, INSTALLED);
  consumers = {
    'checkout.ts': await docsExample('sdk-checkout', 'docs/tokens-and-sdk.md'),
    'errors.ts': await docsExample('sdk-errors', 'docs/tokens-and-sdk.md'),
    'lifecycle.ts': await docsExample('sdk-lifecycle', 'docs/tokens-and-sdk.md'),
    'tour.ts': OPTIONS_TOUR,
  };
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A project folder with its package.json and the consumers; `sdk` fills its src/client/. Returns the consumers' paths. */
function userProject(dir: string, type: UserProject['type'], sdk: (target: string) => void): string[] {
  mkdirSync(path.join(dir, 'src/client'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'shop', private: true, type }));
  sdk(path.join(dir, 'src/client'));
  return Object.entries(consumers).map(([name, source]) => {
    writeFileSync(path.join(dir, name), source);
    return path.join(dir, name);
  });
}

/** Copies the files of `from` whose names end in one of `endings` into `to`. */
function copyFiles(from: string, to: string, endings: readonly string[]): void {
  for (const name of readdirSync(from).filter((file) => endings.some((ending) => file.endsWith(ending)))) {
    copyFileSync(path.join(from, name), path.join(to, name));
  }
}

describe.each(Object.entries(PROJECTS))('the SDK in a %s project', (_name, project) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(scratch, 'project-'));
  });

  it("compiles as source with the docs' example, and emits its declarations", () => {
    const consumerFiles = userProject(path.join(dir, 'source'), project.type, (target) => {
      copyFiles(SDK_SOURCE, target, ['.ts']);
    });
    const options = {
      ...project.options,
      noEmit: false,
      rootDir: path.join(dir, 'source'),
      outDir: path.join(dir, 'emitted'),
    };
    expect(typeErrors(consumerFiles, options, dir)).toEqual([]);
    expect(readdirSync(path.join(dir, 'emitted/src/client'))).toEqual(expect.arrayContaining(['index.d.ts']));
  });

  it('compiles the same consumers against the emitted declarations, library check on', () => {
    const consumerFiles = userProject(path.join(dir, 'declared'), project.type, (target) => {
      copyFiles(path.join(dir, 'emitted/src/client'), target, ['.js', '.d.ts']);
    });
    expect(typeErrors(consumerFiles, { ...project.options, skipLibCheck: false }, dir)).toEqual([]);
  });
});
