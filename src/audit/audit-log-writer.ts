import type { SqlRunner } from '../db/sql-runner';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { insertAuditRecordsSql } from './audit-record';
import type { AuditRecord } from './audit-record';

/** Buffering and batching of audit writes. */
export interface AuditLogWriterOptions {
  /** Records held in memory at most; beyond it new records are dropped and counted. Default 100 000. */
  maxBufferedRecords?: number;
  /** Records per INSERT. Default 500. */
  batchSize?: number;
  /** How often the background writer flushes (ms). Default 250. */
  flushIntervalMs?: number;
  /** How long stop() keeps retrying to write what is left (ms). Default 10 000. */
  shutdownTimeoutMs?: number;
}

/** Pause after a failed write before the next try (ms), so a database outage is not hammered. */
const RETRY_BACKOFF_MS = 1_000;

/**
 * Appends the audit records of repeats (and other decisions that created nothing) to PostgreSQL
 * without putting the database on the request path: enqueue() only pushes to an in-memory buffer;
 * a background timer writes it in one INSERT per batch, on a connection of its own (servers mode),
 * so a batch never waits in the request pool's queue nor makes a request wait. A created order's
 * record does not come here: it commits in the order's own transaction.
 *
 * What is buffered is not yet durable: a crash (SIGKILL, power) loses the records of the last flush
 * interval (AUDIT_FLUSH_INTERVAL_MS, default 250 ms) and the flush in flight (a flush of several
 * batches holds back what arrives meanwhile until the next tick after it), shown by
 * order_gate_audit_records_buffered. A failed write keeps its records for the next try. The buffer is
 * bounded: if the database stays away long enough to fill it, further records are dropped and
 * counted (order_gate_audit_records_dropped_total). A record the database cannot store is left out
 * rather than retried for ever (writeOneByOne). stop() writes everything still buffered.
 */
export class AuditLogWriter {
  private buffer: AuditRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private retryAt = 0;
  private readonly maxBufferedRecords: number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly shutdownTimeoutMs: number;

  constructor(
    /** Where batches go: a small pool of its own in the servers mode, the one embedded connection otherwise. */
    private readonly sql: SqlRunner,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    options: AuditLogWriterOptions = {},
  ) {
    this.maxBufferedRecords = options.maxBufferedRecords ?? 100_000;
    this.batchSize = options.batchSize ?? 500;
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  }

  /** Starts the background writer. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flushDue(), this.flushIntervalMs);
    this.timer.unref();
  }

  /** Queues one record; O(1), never touches the database, never throws. */
  enqueue(record: AuditRecord): void {
    if (this.buffer.length >= this.maxBufferedRecords) {
      this.metrics.auditRecordsDropped.inc();
      return;
    }
    this.buffer.push(record);
    this.metrics.auditRecordsBuffered.set(this.buffer.length);
  }

  /** Records waiting to be written. */
  get pending(): number {
    return this.buffer.length;
  }

  /**
   * Writes the records buffered when it starts (those that arrive meanwhile wait for the next
   * flush); rejects if the database refuses (the records stay buffered).
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    this.flushing = this.writeBuffered().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** Stops the timer and writes what is left, retrying until the shutdown timeout. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const deadline = Date.now() + this.shutdownTimeoutMs;
    for (;;) {
      try {
        // Requests still finishing may add records while a flush runs.
        while (this.buffer.length > 0 && Date.now() < deadline) await this.flush();
        if (this.buffer.length === 0) return;
        throw new Error('audit records kept arriving until the shutdown timeout');
      } catch (error) {
        if (Date.now() >= deadline) {
          this.logger.error(
            { err: error, lost: this.buffer.length },
            'audit records could not be written before shutdown',
          );
          this.metrics.auditRecordsDropped.inc(this.buffer.length);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_BACKOFF_MS, this.shutdownTimeoutMs / 10)));
      }
    }
  }

  private async flushDue(): Promise<void> {
    if (this.flushing || this.buffer.length === 0 || Date.now() < this.retryAt) return;
    try {
      await this.flush();
    } catch (error) {
      this.retryAt = Date.now() + RETRY_BACKOFF_MS;
      this.metrics.auditWriteFailures.inc();
      this.logger.warn(
        { err: error, buffered: this.buffer.length },
        'audit write failed: records kept for the next try',
      );
    }
  }

  /**
   * Only what is buffered now: draining until empty would, under a steady stream of repeats, chase
   * the stream with an INSERT of a few rows per round trip (8 rows every 2–3 ms at 8 connections),
   * costing PostgreSQL and this process far more per record than one batch per interval.
   */
  private async writeBuffered(): Promise<void> {
    let left = this.buffer.length;
    while (left > 0) {
      const count = Math.min(left, this.batchSize);
      left -= count;
      try {
        await this.sql.query(insertAuditRecordsSql(this.buffer.slice(0, count)));
      } catch (error) {
        if (!isDataException(error)) throw error;
        await this.writeOneByOne(count);
        continue;
      }
      // Only now are they safe: a failed write leaves them at the head of the buffer.
      this.settle(count, count);
    }
  }

  /**
   * A batch PostgreSQL refused for a value it cannot store (SQLSTATE class 22, data exception: a
   * byte sequence, a number out of range) would be refused at every try and, at the head of the
   * buffer, hold back every record after it. Its `count` records are written one by one instead;
   * one refused is logged, counted (order_gate_audit_records_rejected_total) and left out. Any
   * other failure (the database away) rejects, leaving the records not yet written buffered.
   */
  private async writeOneByOne(count: number): Promise<void> {
    for (let index = 0; index < count; index++) {
      const record = this.buffer[0];
      try {
        await this.sql.query(insertAuditRecordsSql([record]));
      } catch (error) {
        if (!isDataException(error)) throw error;
        this.metrics.auditRecordsRejected.inc();
        this.logger.error({ err: error, record }, 'audit record refused by the database: left out');
        this.settle(1, 0);
        continue;
      }
      this.settle(1, 1);
    }
  }

  /** Takes the buffer's first `count` records off it, `written` of them written. */
  private settle(count: number, written: number): void {
    this.buffer.splice(0, count);
    this.metrics.auditRecordsWritten.inc(written);
    this.metrics.auditRecordsBuffered.set(this.buffer.length);
  }
}

/** A statement refused for a value it holds (SQLSTATE class 22), the same at every try. */
function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}
