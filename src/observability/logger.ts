import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/** One JSON logger for the process; requests log through children carrying their request id. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'order-gate' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'authorization'], censor: '[redacted]' },
  });
}
