import type { Request, Response } from 'express';

/** One dependency the server needs to serve: checked by `GET /readyz`. */
export interface ReadinessCheck {
  /** Shown in the answer, e.g. `postgres`. */
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  probe(): Promise<unknown>;
  /**
   * False for a dependency the server serves without, slower (Redis: the database still decides
   * every order): down, it is reported and the instance stays in rotation. Default true.
   */
  required?: boolean;
}

/** Options of {@link readinessHandler}. */
export interface ReadinessOptions {
  checks: readonly ReadinessCheck[];
  /** How long one probe may keep failing (or hang) before it counts as down (ms). Default 1 000. */
  timeoutMs?: number;
  /** True once shutdown began: the server is draining and takes no new traffic. */
  isShuttingDown?(): boolean;
}

type CheckStatus = 'up' | 'down';

/**
 * `GET /readyz`: 200 `{status: "ready", checks: {postgres: "up", redis: "up"}}` when every
 * dependency answers; 200 `{status: "degraded", down: ["redis"], …}` when only a dependency the
 * server serves without is down (a load balancer must not pull every instance for a Redis outage,
 * which costs speed, not correctness: found from outside, stop 39); else 503 `{status:
 * "unavailable", down: ["postgres"], checks: {...}}`, and 503 while shutting down. Each
 * probe is bounded by the timeout, so the endpoint answers even when a dependency hangs. Probes run
 * one after the other: Prisma's first query blocks the event loop for a while (it loads its query
 * compiler), and a Redis ping in flight meanwhile would miss its short command timeout.
 */
export function readinessHandler(options: ReadinessOptions): (request: Request, response: Response) => Promise<void> {
  const timeoutMs = options.timeoutMs ?? 1_000;
  return async (_request, response) => {
    const statuses: CheckStatus[] = [];
    for (const check of options.checks) statuses.push(await probeWithin(check, timeoutMs));
    const checks = Object.fromEntries(options.checks.map((check, i) => [check.name, statuses[i]]));
    const down = options.checks.filter((_check, i) => statuses[i] === 'down').map((check) => check.name);
    const shuttingDown = options.isShuttingDown?.() ?? false;
    const requiredDown = options.checks.some((check, i) => statuses[i] === 'down' && check.required !== false);
    const serving = !requiredDown && !shuttingDown;
    response.status(serving ? 200 : 503).json({
      status: !serving ? 'unavailable' : down.length > 0 ? 'degraded' : 'ready',
      ...(down.length ? { down } : {}),
      ...(shuttingDown ? { shuttingDown } : {}),
      checks,
    });
  };
}

/** Pause between attempts of a failing probe (ms). */
const RETRY_PAUSE_MS = 50;

/**
 * Up if the probe succeeds within the timeout, retrying quick failures meanwhile: a ping can fail
 * fast (a reconnecting Redis refuses commands at once, a pooled connection was just cut), and one
 * such failure must not take the instance out of rotation. The connection's own command timeout
 * (at least 1 s, see redisOptionsOf) is no shorter than the probe's, so the race with `timeoutMs`
 * is what bounds a hanging dependency. Down means "failed for the whole timeout".
 */
async function probeWithin(check: ReadinessCheck, timeoutMs: number): Promise<CheckStatus> {
  const deadline = Date.now() + timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => {
    timer = setTimeout(() => resolve('down'), timeoutMs);
  });
  const attempts = (async (): Promise<CheckStatus> => {
    for (;;) {
      try {
        await check.probe();
        return 'up';
      } catch {
        if (Date.now() + RETRY_PAUSE_MS >= deadline) return 'down';
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      }
    }
  })();
  try {
    return await Promise.race([attempts, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
