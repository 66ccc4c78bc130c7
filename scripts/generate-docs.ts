import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { parseCommandLine } from '../src/cli/command-line';
import { environmentSchema } from '../src/config/config';
import { channelStatusTable } from './channel-status-table';

/**
 * `npm run docs:generate`: the parts of the docs that code or a benchmark run already says, written
 * from their source so they cannot drift (test/docs/generated-docs.test.ts fails when one is stale):
 * - docs/configuration.md, from the environment schema (src/config/config.ts and its *-settings.ts parts);
 * - docs/channels.md's table of one refusal at each door, from the channel adapters' statuses;
 * - the benchmark figures and targets of docs/benchmarks.md, from bench/results/latest.md.
 */

export const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

/** A block of a hand-written page that a generator owns, between these two marker lines; the first names the generator. */
function markers(name: string, writer: string): [string, string] {
  return [`<!-- generated: ${name} (${writer}) -->`, `<!-- end generated: ${name} -->`];
}

/**
 * `page` with the block `name` replaced by `content`; fails when the page has no such block. `writer`
 * is the command its marker names as the block's generator (`npm run docs:generate` unless another writes it).
 */
export function withBlock(page: string, name: string, content: string, writer = 'npm run docs:generate'): string {
  const [start, end] = markers(name, writer);
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  if (from < 0 || to < from) throw new Error(`no generated block "${name}" in the page`);
  return `${page.slice(0, from + start.length)}\n${content.trim()}\n${page.slice(to)}`;
}

type AnySchema = z.ZodType & {
  def: {
    type: string;
    defaultValue?: unknown;
    in?: AnySchema;
    out?: AnySchema;
    innerType?: AnySchema;
    entries?: Record<string, unknown>;
    checks?: { _zod: { def: unknown } }[];
    format?: string;
    protocol?: RegExp;
  };
};

/**
 * The schema under its default, optional and pipe wrappers: what the value is checked against (a
 * preprocessed one, a pipe from a transform, by what it is piped into).
 */
function innermost(schema: AnySchema): AnySchema {
  const { def } = schema;
  const next = def.type === 'pipe' ? (def.in?.def.type === 'transform' ? def.out : def.in) : def.innerType;
  return next && ['default', 'prefault', 'optional', 'pipe'].includes(schema.def.type) ? innermost(next) : schema;
}

/** What a number's checks say of it (zod's greater_than, less_than and number_format checks). */
interface NumberCheck {
  check: string;
  value?: number;
  inclusive?: boolean;
  format?: string;
  /** A string's min_length. */
  minimum?: number;
  /** The refusal given to the check, when it has its own. */
  error?: () => unknown;
}

const FLAG_WORDS = ['0', '1', 'false', 'no', 'true', 'yes'].join();

/**
 * The values a variable accepts, read from its schema so the page cannot drift from what the start-up
 * refuses: a number's bounds, an enum's words, a URL's schemes. Empty where the meaning says it.
 */
export function acceptsOf(schema: AnySchema): string {
  const { def } = innermost(schema);
  if (def.type === 'enum' && def.entries) {
    const words = Object.keys(def.entries);
    return [...words].sort().join() === FLAG_WORDS ? 'flag' : words.map((word) => `\`${word}\``).join(', ');
  }
  if (def.type === 'number') {
    const checks = (def.checks ?? []).map((check) => check._zod.def as NumberCheck);
    const integer = checks.some((check) => check.format === 'safeint');
    const bound = (kind: string, step: number) => {
      const values = checks.flatMap(({ check, value, inclusive }) =>
        check !== kind || value === undefined ? [] : [inclusive || !integer ? value : value + step],
      );
      return values.length === 0 ? undefined : step > 0 ? Math.max(...values) : Math.min(...values);
    };
    const [low, high] = [bound('greater_than', 1), bound('less_than', -1)];
    const range =
      high === undefined || high >= Number.MAX_SAFE_INTEGER
        ? low === undefined
          ? ''
          : `≥ ${low}`
        : `${low ?? '…'}–${high}`;
    return `${integer ? 'integer' : 'number'} ${range}`.trim();
  }
  if (def.type === 'string' && def.format === 'url' && def.protocol) {
    // `^postgres(ql)?$` → postgresql://… or postgres://…; `^rediss?$` → redis://… or rediss://…
    const [, stem, optional] = /^\^(\w+?)(?:\((\w+)\)\?|\w\?)?\$$/.exec(def.protocol.source) ?? [];
    const last = /(\w)\?\$$/.exec(def.protocol.source)?.[1];
    const schemes = optional ? [stem + optional, stem] : last ? [stem, stem + last] : [stem];
    if (stem) return schemes.map((scheme) => `\`${scheme}://…\``).join(' or ');
  }
  if (def.type === 'string') {
    const checks = (def.checks ?? []).map((check) => check._zod.def as NumberCheck);
    // A pattern's refusal says what it takes ("expected 1 to 64 characters of …"): the page says the same.
    const refusal = checks.find((check) => check.format === 'regex')?.error?.();
    if (typeof refusal === 'string' && refusal.startsWith('expected ')) return refusal.slice('expected '.length);
    // A length the start-up insists on (JWT_SECRET's 16); a bare `min(1)` only says "not empty".
    const minimum = checks.find((check) => check.check === 'min_length')?.minimum;
    if (minimum !== undefined && minimum > 1) return `≥ ${minimum} characters`;
  }
  return '';
}

/** The default a variable takes when unset, as it would be written in the environment; null when none. */
function defaultOf(schema: AnySchema): string | null {
  const { def } = schema;
  if (def.type === 'default' || def.type === 'prefault') return String(def.defaultValue);
  if (def.type === 'pipe' && def.in) return defaultOf(def.in);
  return null;
}

export function configurationPage(): string {
  const rows = Object.entries(environmentSchema.shape).map(([name, schema]) => {
    const fallback = defaultOf(schema as AnySchema);
    const accepts = acceptsOf(schema as AnySchema);
    return `| \`${name}\` | ${fallback === null ? '—' : `\`${fallback}\``} | ${accepts} | ${(schema as z.ZodType).description ?? ''} |`;
  });
  return [
    '# Configuration',
    '',
    '<!-- Generated by `npm run docs:generate` from the environment schema (src/config/config.ts, composed of the *-settings.ts files beside it): edit the descriptions there. -->',
    '',
    'Everything the server reads comes from environment variables, read and validated once at start-up',
    '(`src/config/config.ts`, zod): a bad value stops the start with a message naming the variable. In',
    '`src/`, nothing else reads `process.env`. Three developer tools read two variables themselves, each',
    'with a local default: `DATABASE_URL`, the server of the scratch database they create and drop',
    '(`scripts/create-migration.ts` its shadow database, `scripts/measure-order-index.ts` and',
    '`scripts/bench-matcher.ts`), and `REDIS_URL` (`scripts/measure-order-index.ts`). An exported but empty variable (`FOO=`) counts as unset.',
    'A flag (`true`/`false` below) also takes `1`/`0` and `yes`/`no`; a flag, a level or a mode is read in any case (`INFO`, `TRUE`),',
    'except NODE_ENV, which libraries compare themselves and so must be lower case.',
    'A number is written in decimal digits (a fraction as `0.25`): `1e3`, `0x10`, a sign or a space inside it is refused; spaces and line breaks around it are not part of it.',
    '',
    'Libraries read a few variables of their own, outside this table. Apollo Server reads `APOLLO_KEY` with',
    '`APOLLO_GRAPH_REF` (or `APOLLO_GRAPH_ID` and `APOLLO_GRAPH_VARIANT`): set, it reports usage (each',
    "operation's shape, timing and errors) to Apollo GraphOS and logs `Apollo usage reporting starting!`;",
    '`APOLLO_SCHEMA_REPORTING=true` also sends the schema, and `APOLLO_SERVER_ID`, `APOLLO_SERVER_PLATFORM` and',
    '`APOLLO_SERVER_USER_VERSION` label those reports. Leave them unset unless you mean to report to Apollo',
    '(`test/docs/library-environment.test.ts` reads the names from the installed Apollo Server). Node reads',
    'its own (`NODE_OPTIONS`, `NODE_EXTRA_CA_CERTS`), and the PostgreSQL driver (pg) fills what DATABASE_URL',
    'leaves out from `PGPASSWORD`, `PGSSLMODE`, `PGCONNECT_TIMEOUT` and the other `PG…` variables.',
    '',
    'Run mode: `DATABASE_URL` with `REDIS_URL` (or `REDIS_CLUSTER_NODES`) is the **servers** mode; neither is',
    'the **embedded** mode (PGlite in `EMBEDDED_DATA_DIR`, claims and tokens in memory, one instance);',
    'one without the other is refused, and `NODE_ENV=production` refuses the embedded mode.',
    '',
    '| variable | default | accepts | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** latest.md's sections from `## Figures` on, one heading level down, for docs/benchmarks.md. */
export function benchmarkFigures(latest: string): string {
  const run = latest
    .split('\n')
    .filter((line) => line.startsWith('Run ') || line.startsWith('Closed loop') || line.startsWith('Server:'))
    .join('\n');
  const body = latest.slice(latest.indexOf('## Figures')).replace(/^## /gm, '### ');
  return `${run}\n\n${body}`;
}

/** Every generated file with what it must hold now. */
export async function generatedFiles(): Promise<Record<string, string>> {
  const read = (file: string) => readFile(path.join(ROOT, file), 'utf8');
  const latest = await read('bench/results/latest.md');
  return {
    'docs/configuration.md': configurationPage(),
    'docs/benchmarks.md': withBlock(await read('docs/benchmarks.md'), 'benchmark figures', benchmarkFigures(latest)),
    'docs/channels.md': withBlock(await read('docs/channels.md'), 'answers at each door', channelStatusTable()),
  };
}

async function main(): Promise<void> {
  for (const [file, content] of Object.entries(await generatedFiles())) {
    await writeFile(path.join(ROOT, file), content);
    console.log(`wrote ${file}`);
  }
}

if (require.main === module) {
  parseCommandLine(
    {
      usage: 'npm run docs:generate',
      about:
        'Writes the generated parts of docs/ (configuration, benchmark figures and targets, the channel answers at each door) from the code and bench/results/latest.md.',
    },
    {},
  );
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
