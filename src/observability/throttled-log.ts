import type { Logger } from './logger';

/**
 * A warning that may repeat on every request while something is down (Redis unreachable): logged
 * at most once per `intervalMs`, with the number of repeats it stands for. The metrics count every
 * occurrence; the log only needs to say that it is happening, and writing a line with a serialised
 * error per request would make the outage slow the fallback path down too.
 */
export function throttledWarning(
  logger: Logger,
  message: string,
  intervalMs = 1_000,
): (details: Record<string, unknown>) => void {
  return throttledLog(logger, 'warn', message, intervalMs);
}

/** {@link throttledWarning} at another level: at most one line per `intervalMs` (ms), with the repeats it stands for. */
export function throttledLog(
  logger: Logger,
  level: 'warn' | 'error',
  message: string,
  intervalMs: number,
): (details: Record<string, unknown>) => void {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (details) => {
    const now = Date.now();
    if (now - lastAt < intervalMs) {
      suppressed += 1;
      return;
    }
    logger[level]({ ...details, ...(suppressed > 0 ? { suppressed } : {}) }, message);
    lastAt = now;
    suppressed = 0;
  };
}
