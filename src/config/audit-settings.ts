import { positiveMs, wholeNumber } from './numeric-variables';

/** How the audit log buffers and writes the records of repeats (src/audit). */
export const auditEnvironment = {
  AUDIT_BUFFER_MAX: wholeNumber({ min: 1 })
    .default(100_000)
    .describe('Audit records of repeats held in memory at most; beyond, new ones are dropped and counted.'),
  AUDIT_BATCH_SIZE: wholeNumber({ min: 1, max: 5_000 }).default(500).describe('Audit records per INSERT.'),
  AUDIT_FLUSH_INTERVAL_MS: positiveMs
    .default(250)
    .describe(
      'How often buffered audit records are written (ms): what a crash can lose at most, beyond a batch in flight.',
    ),
  AUDIT_SHUTDOWN_TIMEOUT_MS: positiveMs
    .default(10_000)
    .describe('How long a graceful stop keeps trying to write buffered audit records (ms).'),
};

/** How the audit log buffers the records of repeats (a created order's record is written with the order). */
export interface AuditSettings {
  /** Records held in memory at most; beyond it new records are dropped and counted. Default 100 000. */
  maxBufferedRecords: number;
  /** Records per INSERT. Default 500. */
  batchSize: number;
  /** How often the background writer flushes (ms). Default 250. */
  flushIntervalMs: number;
  /** How long shutdown keeps retrying to write what is left (ms). Default 10 000. */
  shutdownTimeoutMs: number;
}
