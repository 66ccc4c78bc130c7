import pg from 'pg';
import { dateOption, fractionOption, integerOption, postgresUrlOption } from '../src/cli/option-values';
import { compareOrders } from '../src/dedupe/order-matcher';
import type { MatchableOrder } from '../src/dedupe/order-matcher';
import type { ShippingAddress } from '../src/dedupe/shipping-address';
import { readAuditHistory } from './risk-training/audit-log-reader';
import type { AuditHistory, OrderComparer, OrderRow } from './risk-training/audit-history';
import { buildTrainingSet } from './risk-training/training-set';
import type { DecisionPoint } from './risk-training/training-set';
import { simulateHistory } from './risk-simulator/simulate-history';
import { attemptKey } from './risk-simulator/history-rows';
import type { AttemptTruth, CandidateVerdict } from './risk-simulator/history-rows';

/**
 * Where `risk:train` and `risk:evaluate` get their attempts: the simulator (seeded, with truth) or
 * a database's audit log (truth unknown: only observed labels). Both split by time, the latest
 * `testShare` of the span held out.
 */

export const DATA_ARGUMENTS = {
  seed: { type: 'string', default: '1' },
  days: { type: 'string', default: '28' },
  'database-url': { type: 'string' },
  since: { type: 'string' },
  'test-share': { type: 'string', default: '0.3' },
} as const;

export interface DataArguments {
  seed: string;
  days: string;
  'database-url'?: string;
  since?: string;
  'test-share': string;
}

export interface LoadedAttempts {
  train: DecisionPoint[];
  test: DecisionPoint[];
  /** Truth by attemptKey, for simulated data; null for a real audit log. */
  truth: Map<string, AttemptTruth> | null;
  description: Record<string, unknown>;
}

/** The live path's matcher (src/dedupe), over audit-history order rows; time is the lookback's business. */
export const compareWithMatcher: OrderComparer = (order, earlier) => {
  const match = compareOrders(matchable(order), matchable(earlier), Number.POSITIVE_INFINITY);
  return {
    ...match,
    sameCart: !match.differences.includes('other items') && !match.differences.includes('other currency'),
  };
};

/** The matcher's similarity and verdict, as the server records them for a held attempt (injected into the simulator). */
export const verdictOf = (attempt: OrderRow, candidate: OrderRow): CandidateVerdict => {
  const { similarity, equivalent } = compareWithMatcher(attempt, candidate);
  return { similarity, equivalent };
};

function matchable(order: OrderRow): MatchableOrder {
  return {
    customerId: order.customerId,
    currency: order.currency,
    lines: order.items,
    shippingAddress: (order.shippingAddress as ShippingAddress | null) ?? null,
    createdAt: order.createdAt,
  };
}

/**
 * Where the attempts come from, as the options say; a bad value is refused (one line, exit 2)
 * before anything is read, never taken for NaN.
 */
function dataSource(args: DataArguments) {
  return {
    testShare: fractionOption('test-share', args['test-share']),
    databaseUrl: args['database-url'] === undefined ? null : postgresUrlOption('database-url', args['database-url']),
    since: args.since === undefined ? new Date(0) : dateOption('since', args.since),
    seed: integerOption('seed', args.seed, 0),
    days: integerOption('days', args.days),
  };
}

export async function loadAttempts(args: DataArguments): Promise<LoadedAttempts> {
  const { testShare, databaseUrl, since, seed, days } = dataSource(args);
  let history: AuditHistory;
  let truth: Map<string, AttemptTruth> | null = null;
  let description: Record<string, unknown>;
  if (databaseUrl) {
    history = await readFromDatabase(databaseUrl, since);
    description = { source: 'audit log', since: since.toISOString() };
  } else {
    const simulation = simulateHistory({ seed, days, match: verdictOf });
    history = simulation.history;
    truth = simulation.truth;
    description = { source: 'simulator', seed, days };
  }
  const points = buildTrainingSet(history, { compare: compareWithMatcher });
  const first = points[0]?.at ?? 0;
  const cutAt = first + ((points.at(-1)?.at ?? first) - first) * (1 - testShare);
  const train = points.filter((point) => point.at < cutAt);
  const test = points.filter((point) => point.at >= cutAt);
  return {
    train,
    test,
    truth,
    description: {
      ...description,
      testShare,
      splitAt: new Date(cutAt).toISOString(),
      auditEvents: history.auditEvents.length,
    },
  };
}

/** Truth of an attempt in a simulated history. */
export function truthOf(truth: Map<string, AttemptTruth>, point: DecisionPoint): AttemptTruth {
  const found = truth.get(attemptKey(point.customerId, point.idempotencyKey));
  if (!found) throw new Error(`no truth for attempt ${point.customerId} / ${point.idempotencyKey}`);
  return found;
}

async function readFromDatabase(url: string, since: Date): Promise<AuditHistory> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await readAuditHistory(
      async (sql, params) => (await client.query<Record<string, unknown>>(sql, params)).rows,
      since,
    );
  } finally {
    await client.end();
  }
}
