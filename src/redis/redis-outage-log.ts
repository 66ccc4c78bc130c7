import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { throttledWarning } from '../observability/throttled-log';
import { isNetworkErrorCode } from '../platform/network-errors';

/** ioredis's words for a command sent while it is not connected (enableOfflineQueue: false). */
const NOT_CONNECTED = /^(Stream isn't writeable|Connection is closed)/;

/** The message under which an unreachable Redis is logged, whichever connection saw it. */
export const REDIS_UNREACHABLE = 'redis unreachable: serving on the database path';

/** Causes remembered per server; more distinct ones than this start the count afresh. */
const MAX_CAUSES = 32;

/**
 * Why Redis could not be reached ("connect ECONNREFUSED 127.0.0.1:6379"), or null for an error
 * that says something else (a refusal, a defect), whose stack may matter.
 */
export function unreachableCause(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const { code } = error as NodeJS.ErrnoException;
  if (isNetworkErrorCode(code)) return errorMessage(error) || code;
  return NOT_CONNECTED.test(error.message) ? error.message : null;
}

/**
 * The error's message, else its inner errors' joined: a host with two addresses (localhost at ::1
 * and 127.0.0.1) refused on both gives Node 20's AggregateError, whose own message is "".
 */
function errorMessage(error: Error): string {
  if (error.message !== '' || !(error instanceof AggregateError)) return error.message;
  const inner: unknown[] = error.errors;
  return inner
    .map((each) => (each instanceof Error ? each.message : ''))
    .filter((message) => message !== '')
    .join('; ');
}

/**
 * A warning's account of a connection's error: the cause alone when the server cannot be reached
 * (Node's network codes, ioredis's "not connected"), else the error with its stack. Redis's and
 * PostgreSQL's connections alike (the order-changes listener's catch-up uses both).
 */
export function connectionErrorDetails(error: unknown): { cause: string } | { err: unknown } {
  return detailsOf(error, unreachableCause(error));
}

function detailsOf(error: unknown, cause: string | null): { cause: string } | { err: unknown } {
  return cause === null ? { err: error } : { cause };
}

/** Reports one connection error of a connection to `setting` (e.g. "REDIS_URL redis://127.0.0.1:6379"). */
export type RedisOutageReport = (setting: string, error: Error, metrics?: Metrics) => void;

const reportsByLogger = new WeakMap<Logger, RedisOutageReport>();

/**
 * The server's report of its Redis connections' errors. The claims, the rate limit and client
 * tracking's reader and subscriber all reach one Redis and fail together at each reconnect: one
 * line per cause per second for all of them (one report per logger, i.e. per server), and an
 * unreachable Redis is said in one line without a stack. Every error is counted, logged or not.
 */
export function redisOutageReport(logger: Logger): RedisOutageReport {
  const known = reportsByLogger.get(logger);
  if (known) return known;
  const warningsByCause = new Map<string, (details: Record<string, unknown>) => void>();
  const report: RedisOutageReport = (setting, error, metrics) => {
    const cause = unreachableCause(error);
    metrics?.redisConnectionErrors.inc({ cause: metricCause(error, cause) });
    const key = `${setting} ${cause ?? error.message}`;
    let warn = warningsByCause.get(key);
    if (!warn) {
      if (warningsByCause.size >= MAX_CAUSES) warningsByCause.clear();
      warn = throttledWarning(logger, cause === null ? 'redis connection error' : REDIS_UNREACHABLE);
      warningsByCause.set(key, warn);
    }
    warn({ redis: setting, ...detailsOf(error, cause) });
  };
  reportsByLogger.set(logger, report);
  return report;
}

/** The metric's label: Node's code, `not-connected` (ioredis's), or `other`. */
function metricCause(error: Error, cause: string | null): string {
  if (cause === null) return 'other';
  const { code } = error as NodeJS.ErrnoException;
  return isNetworkErrorCode(code) ? code : 'not-connected';
}
