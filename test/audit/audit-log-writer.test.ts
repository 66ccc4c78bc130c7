import type { SqlRunner } from '../../src/db/sql-runner';
import { AuditLogWriter } from '../../src/audit/audit-log-writer';
import type { AuditRecord } from '../../src/audit/audit-record';
import { createLogger } from '../../src/observability/logger';
import { Metrics } from '../../src/observability/metrics';

/**
 * A stand-in for the one statement the writer sends (the batch INSERT, whose rows it reads back
 * from the statement's values); the database's behaviour is tested in audit-log.test.ts.
 */
function fakeDatabase() {
  const written: AuditRecord[] = [];
  const state = { down: false, calls: 0, downAfterCalls: Infinity };
  const prisma: SqlRunner = {
    async query(statement) {
      state.calls += 1;
      if (state.down || state.calls > state.downAfterCalls) throw new Error('database is down');
      // The statement's sixth parameter is the idempotency keys of the batch's rows (one record's key alone).
      const sixth = statement.values[5];
      const keys = (Array.isArray(sixth) ? sixth : [sixth]) as string[];
      // PostgreSQL refuses the whole statement for one value it cannot store (SQLSTATE 22021).
      if (keys.some((key) => key.includes('\u0000')))
        throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
      written.push(...keys.map((idempotencyKey) => ({ idempotencyKey }) as AuditRecord));
      return [];
    },
  };
  return { prisma, written, state };
}

function record(index: number): AuditRecord {
  return {
    at: new Date(),
    outcome: 'created',
    source: null,
    claim: 'claimed',
    customerId: 'c',
    idempotencyKey: `key-${index}`,
    fingerprint: null,
    channel: null,
    orderId: null,
    relatedOrderId: null,
    requestId: null,
    latencyMs: 1,
  };
}

async function counter(
  metrics: Metrics,
  name: 'auditRecordsDropped' | 'auditRecordsWritten' | 'auditRecordsRejected',
): Promise<number> {
  return (await metrics[name].get()).values[0]?.value ?? 0;
}

describe('AuditLogWriter', () => {
  it('writes in batches of the configured size, in order', async () => {
    const { prisma, written, state } = fakeDatabase();
    const writer = new AuditLogWriter(prisma, new Metrics(), createLogger('silent'), { batchSize: 4 });
    for (let index = 0; index < 10; index++) writer.enqueue(record(index));
    await writer.flush();
    expect(state.calls).toBe(3);
    expect(written.map((row) => row.idempotencyKey)).toEqual(Array.from({ length: 10 }, (_, index) => `key-${index}`));
  });

  it('writes what was buffered when the flush began, leaving records that arrive meanwhile to the next one', async () => {
    const { prisma, written, state } = fakeDatabase();
    // A steady stream of repeats: a record arrives during every INSERT's round trip.
    let next = 6;
    const streaming: SqlRunner = {
      query(statement) {
        if (next < 8) writer.enqueue(record(next++));
        return prisma.query(statement);
      },
    };
    const writer = new AuditLogWriter(streaming, new Metrics(), createLogger('silent'), { batchSize: 4 });
    for (let index = 0; index < 6; index++) writer.enqueue(record(index));
    await writer.flush();
    // Two INSERTs (batches of 4 and 2) for the six buffered at the start, not one more per arrival.
    const keys = (count: number) => Array.from({ length: count }, (_, index) => `key-${index}`);
    expect(state.calls).toBe(2);
    expect(written.map((row) => row.idempotencyKey)).toEqual(keys(6));
    expect(writer.pending).toBe(2);
    // Stopping writes everything, also what arrives while it writes.
    await writer.stop();
    expect(writer.pending).toBe(0);
    expect(written.map((row) => row.idempotencyKey)).toEqual(keys(8));
  });

  it('stops by its shutdown timeout when records keep arriving, counting those left as dropped', async () => {
    const { prisma, written } = fakeDatabase();
    const metrics = new Metrics();
    let next = 0;
    // Two records arrive during every INSERT: the buffer never empties by itself.
    const endless: SqlRunner = {
      query(statement) {
        writer.enqueue(record(next++));
        writer.enqueue(record(next++));
        return prisma.query(statement);
      },
    };
    const writer = new AuditLogWriter(endless, metrics, createLogger('silent'), { shutdownTimeoutMs: 50 });
    writer.enqueue(record(next++));
    writer.enqueue(record(next++));
    await writer.stop();
    expect(written.length).toBeGreaterThan(2);
    expect(await counter(metrics, 'auditRecordsDropped')).toBe(writer.pending);
    expect(writer.pending).toBeGreaterThan(0);
  });

  it('keeps records through a database outage, bounds the buffer, counts drops, and writes the rest when it is back', async () => {
    const { prisma, written, state } = fakeDatabase();
    const metrics = new Metrics();
    const writer = new AuditLogWriter(prisma, metrics, createLogger('silent'), {
      maxBufferedRecords: 3,
      shutdownTimeoutMs: 50,
    });
    state.down = true;
    for (let index = 0; index < 5; index++) writer.enqueue(record(index));
    await expect(writer.flush()).rejects.toThrow('database is down');
    expect(writer.pending).toBe(3);
    expect(await counter(metrics, 'auditRecordsDropped')).toBe(2);
    state.down = false;
    await writer.stop();
    expect(written.map((row) => row.idempotencyKey)).toEqual(['key-0', 'key-1', 'key-2']);
    expect(await counter(metrics, 'auditRecordsWritten')).toBe(3);
  });

  it('counts what it could not write before the shutdown timeout as dropped', async () => {
    const { prisma, state } = fakeDatabase();
    const metrics = new Metrics();
    const writer = new AuditLogWriter(prisma, metrics, createLogger('silent'), { shutdownTimeoutMs: 30 });
    state.down = true;
    writer.enqueue(record(1));
    writer.enqueue(record(2));
    await writer.stop();
    expect(await counter(metrics, 'auditRecordsDropped')).toBe(2);
  });

  it('leaves out a record the database refuses, instead of holding back every record after it', async () => {
    const { prisma, written } = fakeDatabase();
    const metrics = new Metrics();
    const writer = new AuditLogWriter(prisma, metrics, createLogger('silent'), { batchSize: 4 });
    const poisoned = { ...record(2), idempotencyKey: 'key-2\u0000' };
    for (const entry of [record(0), record(1), poisoned, record(3), record(4), record(5)]) writer.enqueue(entry);
    await writer.flush();
    expect(written.map((row) => row.idempotencyKey)).toEqual(['key-0', 'key-1', 'key-3', 'key-4', 'key-5']);
    expect(writer.pending).toBe(0);
    expect(await counter(metrics, 'auditRecordsRejected')).toBe(1);
    expect(await counter(metrics, 'auditRecordsWritten')).toBe(5);
  });

  it('keeps the records not yet written when the database goes away while it writes them one by one', async () => {
    const { prisma, written, state } = fakeDatabase();
    const writer = new AuditLogWriter(prisma, new Metrics(), createLogger('silent'), { batchSize: 4 });
    for (const entry of [record(0), { ...record(1), idempotencyKey: 'key-1\u0000' }, record(2), record(3)])
      writer.enqueue(entry);
    // The batch, then key-0 and key-1 one by one; the database is away from key-2 on.
    state.downAfterCalls = 3;
    await expect(writer.flush()).rejects.toThrow('database is down');
    expect(writer.pending).toBe(2);
    state.downAfterCalls = Infinity;
    await writer.flush();
    // Each record written once: none of those written one by one again.
    expect(written.map((row) => row.idempotencyKey)).toEqual(['key-0', 'key-2', 'key-3']);
  });
});
