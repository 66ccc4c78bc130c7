/**
 * npm run dedupe -- scan [--since ISO] [--report FILE.json] [--window-ms N]
 * npm run dedupe -- merge --report FILE.json [--apply]
 *
 * scan finds groups of equivalent orders (the live path's matcher, windowed by createdAt) and
 * writes a report (./contract/dedupe-report.schema.json; default dedupe-report.json).
 * merge reads one and, with --apply, cancels each group's duplicates (dry run without it).
 */
import { parseCommandLine } from '../cli/command-line';
import { dateOption, integerOption } from '../cli/option-values';
import type { Config } from '../config/config';
import type { PrismaClient } from '../db/prisma';
import { openClaimStore } from '../idempotency/open-claim-store';
import type { Logger } from '../observability/logger';
import { announcesOrderChanges } from '../orders/order-changes';
import { OrderReplays } from '../orders/order-replays';
import type { RedisConnection } from '../redis/redis-connection';
import { refusalMessage } from '../redis/redis-refusal';
import { RedisRiskFeatureStore } from '../risk/risk-feature-store';
import { recordConfirmedDuplicates } from '../risk/risk-scoring';
import { riskFeatureKeyPrefix } from '../stores/store-keys';
import { mergeDuplicates } from './duplicate-merge';
import type { MergedOrder } from './duplicate-merge';
import { scanForDuplicates } from './duplicate-scan';
import { Progress } from './progress';
import { ReportPathError, ReportWriter, readReport } from './report-file';
import { runCommand } from './run-command';
import type { CommandEnvironment } from './run-command';

/** How long merge waits for Redis before giving up (ms). */
const CLAIM_STORE_READY_MS = 5_000;

const HELP = {
  usage:
    'npm run dedupe -- scan [--since ISO] [--report FILE.json] [--window-ms N] | merge --report FILE.json [--apply]',
  about:
    "scan finds groups of equivalent orders and writes a report (default dedupe-report.json); merge reads one and, with --apply, cancels each group's duplicates (a dry run without it). Both use the server's database: DATABASE_URL with REDIS_URL, or neither for the embedded one in EMBEDDED_DATA_DIR (stop an embedded server first).",
};
const USAGE = `usage: ${HELP.usage}`;

/** What scan is asked for, read from its options before any connection. */
interface ScanOptions {
  since: Date | null;
  windowMs: number | undefined;
  path: string;
}

/** scan's options, a bad value refused (one line, exit 2) like a mistyped option. */
function scanOptions(values: { since?: string; report?: string; 'window-ms'?: string }): ScanOptions {
  return {
    since: values.since === undefined ? null : dateOption('since', values.since),
    windowMs: values['window-ms'] === undefined ? undefined : integerOption('window-ms', values['window-ms']),
    path: values.report ?? 'dedupe-report.json',
  };
}

async function scan(prisma: PrismaClient, { since, windowMs, path }: ScanOptions): Promise<number> {
  // The report is opened first: a path it cannot write is said before any work (exit 1).
  const writer = await ReportWriter.open(path, since).catch((error: unknown) => {
    if (!(error instanceof ReportPathError)) throw error;
    console.error(error.message);
    return null;
  });
  if (!writer) return 1;
  try {
    return await scanInto(prisma, writer, { since, windowMs, path });
  } catch (error) {
    await writer.discard();
    if (!(error instanceof ReportPathError)) throw error;
    console.error(error.message);
    return 1;
  }
}

async function scanInto(
  prisma: PrismaClient,
  writer: ReportWriter,
  { since, windowMs, path }: ScanOptions,
): Promise<number> {
  const counted = await prisma.$queryRaw<{ total: number }[]>`
    SELECT count(*)::int AS total FROM "Order" WHERE "status" <> 'CANCELLED' AND "createdAt" >= ${since ?? new Date(0)}`;
  const total = counted[0]?.total ?? 0;
  const progress = new Progress('scan', { unit: 'orders', total });
  const result = await scanForDuplicates(prisma, {
    since,
    ...(windowMs === undefined ? {} : { windowMs }),
    onGroup: (group) => writer.add(group),
    onProgress: (scanned) => progress.update(scanned),
  });
  await writer.close(result.ordersScanned);
  progress.finish(`${result.groups} groups`);
  console.log(JSON.stringify({ ...result, report: path }));
  return 0;
}

async function merge(
  prisma: PrismaClient,
  environment: CommandEnvironment,
  values: { report?: string; apply?: boolean },
): Promise<number> {
  if (!values.report) throw new Error('merge needs --report FILE.json');
  const report = await readReport(values.report);
  // A merged order's key must stop answering repeats with the order as it was (the replay kept in Redis).
  const claims = openClaimStore(environment.config, environment.logger);
  const readiness = await claims.ready(CLAIM_STORE_READY_MS);
  if (readiness !== 'ready') {
    await claims.close();
    const why = readiness === 'unavailable' ? 'it is not reachable' : refusalMessage(readiness);
    throw new Error(`merge needs the claim store (Redis) to forget the merged orders' stored answers: ${why}`);
  }
  const replays = new OrderReplays(claims.store, environment.config.idempotencyRetentionMs);
  const onMerged = riskFeedback(environment.config, claims.redis, environment.logger);
  const summary = await mergeDuplicates(
    prisma,
    report.groups,
    values.apply === true,
    (orders) => replays.forget(orders),
    onMerged,
    announcesOrderChanges(environment.config.mode),
  ).finally(() => claims.close());
  const { refusals, ...counts } = summary;
  console.log(JSON.stringify({ ...counts, applied: values.apply === true }));
  for (const refusal of refusals) console.error(`not merged: ${refusal}`);
  if (!values.apply) console.error('dry run: nothing was changed (add --apply to merge)');
  // A group left whole is work left for the operator: a script running merge should notice.
  return refusals.length > 0 ? 1 : 0;
}

/**
 * With duplicate-risk scoring on (RISK_MODEL_PATH), merged orders count as confirmed duplicates of
 * their customer and source in the live feature store. A failure is logged, never stops the merge.
 */
function riskFeedback(
  config: Config,
  redis: RedisConnection | undefined,
  logger: Logger,
): ((orders: MergedOrder[]) => Promise<void>) | undefined {
  if (!config.risk.modelPath || !redis) return undefined;
  const store = new RedisRiskFeatureStore(redis, riskFeatureKeyPrefix(config.redisKeyPrefix));
  return (orders) =>
    recordConfirmedDuplicates(store, orders).catch((error: unknown) =>
      logger.warn({ err: error }, 'merged orders not counted in the risk features'),
    );
}

// Before any connection: --help, a bad option and a bad option value are answered without a database.
const { positionals, values } = parseCommandLine(HELP, {
  allowPositionals: true,
  options: {
    since: { type: 'string' },
    report: { type: 'string' },
    'window-ms': { type: 'string' },
    apply: { type: 'boolean' },
  },
});

const command = positionals[0];
const options = command === 'scan' ? scanOptions(values) : null;

runCommand('npm run dedupe', async (prisma, environment) => {
  if (command !== 'scan' && command !== 'merge') throw new Error(USAGE);
  return options ? scan(prisma, options) : merge(prisma, environment, values);
});
