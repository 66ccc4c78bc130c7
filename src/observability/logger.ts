import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/** Options of the logger. */
export interface LoggerOptions {
  /**
   * Write to stdout asynchronously: lines that come while a write is under way go out together in
   * the next one, instead of one write system call per line on the request path. Lines still
   * buffered are flushed when the process exits; a crash (SIGKILL) can lose the last few. Default
   * false (tests read the lines as they come).
   */
  asynchronous?: boolean;
}

/** One JSON logger for the process; requests log through children carrying their request id. */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const settings = {
    level,
    base: { service: 'order-gate' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // ioredis puts a failed command's arguments on its error, and an AUTH's are the Redis password.
    redact: { paths: ['req.headers.authorization', 'authorization', 'err.command.args'], censor: '[redacted]' },
  };
  return options.asynchronous ? pino(settings, pino.destination({ dest: 1, sync: false })) : pino(settings);
}
