import { setImmediate as nextTurn } from 'node:timers/promises';
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlQueryable,
  SqlResultSet,
  Transaction,
} from '@prisma/driver-adapter-utils';

/**
 * A driver adapter whose every call first lets the event loop turn once (one `setImmediate`).
 *
 * Why: PGlite runs in this process and answers a query without real I/O, so its promise settles in
 * a microtask and the next query of a long chain (a POS batch, a marketplace burst, a merge) starts
 * before the event loop ever reaches its I/O phase. Measured: a 3,000-receipt POS upload held
 * every other request, /healthz included, for its whole 26 s. With a turn before each call, a
 * request that arrives meanwhile is read and answered between two queries, as it is on the
 * servers, where each query waits for a socket anyway. The cost is one turn per query, in the
 * embedded mode only.
 */
export function yieldingAdapterFactory(inner: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => yieldingAdapter(await inner.connect()),
  };
}

function yieldingAdapter(inner: SqlDriverAdapter): SqlDriverAdapter {
  const adapter: SqlDriverAdapter = {
    ...yieldingQueries(inner),
    executeScript: (script: string) => inner.executeScript(script),
    startTransaction: async (isolationLevel?: IsolationLevel) => {
      await nextTurn();
      return yieldingTransaction(await inner.startTransaction(isolationLevel));
    },
    dispose: () => inner.dispose(),
  };
  if (inner.getConnectionInfo) adapter.getConnectionInfo = inner.getConnectionInfo.bind(inner);
  return adapter;
}

function yieldingTransaction(inner: Transaction): Transaction {
  const transaction: Transaction = {
    ...yieldingQueries(inner),
    options: inner.options,
    commit: async () => {
      await nextTurn();
      return inner.commit();
    },
    rollback: async () => {
      await nextTurn();
      return inner.rollback();
    },
  };
  // Passed on only when the driver has them: Prisma reads their absence (PGlite's) as no nested transactions.
  if (inner.createSavepoint) transaction.createSavepoint = inner.createSavepoint.bind(inner);
  if (inner.rollbackToSavepoint) transaction.rollbackToSavepoint = inner.rollbackToSavepoint.bind(inner);
  if (inner.releaseSavepoint) transaction.releaseSavepoint = inner.releaseSavepoint.bind(inner);
  return transaction;
}

function yieldingQueries(inner: SqlQueryable): SqlQueryable {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: async (query: SqlQuery): Promise<SqlResultSet> => {
      await nextTurn();
      return inner.queryRaw(query);
    },
    executeRaw: async (query: SqlQuery): Promise<number> => {
      await nextTurn();
      return inner.executeRaw(query);
    },
  };
}
