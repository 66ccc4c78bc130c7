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
  /**
   * Why the dependency refuses this server's settings, when it does (Redis: a wrong password, a
   * certificate not trusted): shown as `refused`, with this reason, instead of `down`, since
   * waiting will not mend it. Asked when the probe fails. Never a secret: the answer is public.
   */
  refusal?(): string | null;
}

/** Options of {@link readinessHandler}. */
export interface ReadinessOptions {
  checks: readonly ReadinessCheck[];
  /** How long one probe may keep failing (or hang) before it counts as down (ms). Default 1 000. */
  timeoutMs?: number;
  /** True once shutdown began: the server is draining and takes no new traffic. */
  isShuttingDown?(): boolean;
}

/** A check that failed: `down` (an outage, or no answer), or `refused` with the reason. */
type CheckStatus = 'up' | 'down' | { refused: string };

/**
 * `GET /readyz`: 200 `{status: "ready", checks: {postgres: "up", redis: "up"}}` when every
 * dependency answers; 200 `{status: "degraded", down: ["redis"], …}` when only a dependency the
 * server serves without is down (a load balancer must not pull every instance for a Redis outage,
 * which costs speed, not correctness: found from outside, stop 39), or refuses the settings
 * (`checks: {redis: "refused"}, refused: {redis: "<why>"}`); else 503 `{status: "unavailable",
 * down: ["postgres"], checks: {...}}`, and 503 while shutting down. Each
 * probe is bounded by the timeout, so the endpoint answers even when a dependency hangs. Probes run
 * one after the other: Prisma's first query blocks the event loop for a while (it loads its query
 * compiler), and a Redis ping in flight meanwhile would miss its short command timeout.
 */
export function readinessHandler(options: ReadinessOptions): (request: Request, response: Response) => Promise<void> {
  const timeoutMs = options.timeoutMs ?? 1_000;
  return async (_request, response) => {
    const statuses: CheckStatus[] = [];
    for (const check of options.checks) statuses.push(await probeWithin(check, timeoutMs));
    const named = options.checks.map((check, i) => ({ check, status: statuses[i] }));
    const checks = Object.fromEntries(
      named.map(({ check, status }) => [check.name, typeof status === 'string' ? status : 'refused']),
    );
    const down = named.filter(({ status }) => status === 'down').map(({ check }) => check.name);
    const refused = Object.fromEntries(
      named.flatMap(({ check, status }) => (typeof status === 'string' ? [] : [[check.name, status.refused]])),
    );
    const shuttingDown = options.isShuttingDown?.() ?? false;
    const requiredFailing = named.some(({ check, status }) => status !== 'up' && check.required !== false);
    const serving = !requiredFailing && !shuttingDown;
    const failing = named.some(({ status }) => status !== 'up');
    response.status(serving ? 200 : 503).json({
      status: !serving ? 'unavailable' : failing ? 'degraded' : 'ready',
      ...(down.length ? { down } : {}),
      ...(Object.keys(refused).length ? { refused } : {}),
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
        const refusal = check.refusal?.();
        if (refusal) return { refused: refusal };
        if (Date.now() + RETRY_PAUSE_MS >= deadline) return 'down';
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      }
    }
  })();
  try {
    return await Promise.race<CheckStatus>([attempts, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
