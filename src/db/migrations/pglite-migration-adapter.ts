import { messages } from '@electric-sql/pglite';
import type { PGlite } from '@electric-sql/pglite';
import { DriverAdapterError } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { DelegatingAdapter } from './migration-adapter';
import type { MigrationAdapter } from './migration-adapter';

/**
 * The driver adapter the schema engine uses to migrate the embedded database: pglite-prisma-adapter
 * on the server's own PGlite instance (one process, one connection, so no migration lock is
 * needed), with one fix. Its `executeScript` starts `exec()` without awaiting it: a failing
 * migration would be recorded as applied and its error would surface as an unhandled rejection.
 */
export function createPgliteMigrationAdapter(pglite: PGlite): MigrationAdapter {
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: 'pglite-prisma-adapter',
    connect: async () => new WholeScriptAdapter(await new PrismaPGlite(pglite).connect(), pglite),
    // Applying migrations needs none; diffing (scripts/create-migration.ts) runs on the servers.
    connectToShadowDb: () => Promise.reject(new Error('The embedded database has no shadow database.')),
  };
  // The PGlite instance belongs to the caller, who keeps using it after migrating.
  return { factory, close: () => Promise.resolve() };
}

/** pglite-prisma-adapter's adapter, running each migration script as one awaited simple query. */
class WholeScriptAdapter extends DelegatingAdapter {
  constructor(
    inner: SqlDriverAdapter,
    private readonly pglite: PGlite,
  ) {
    super(inner);
  }

  /**
   * `exec` sends the script as one simple query, which PostgreSQL runs as one implicit
   * transaction: the migration applies all or nothing, as on the servers.
   */
  override async executeScript(script: string): Promise<void> {
    try {
      await this.pglite.exec(script);
    } catch (error) {
      throw asDriverAdapterError(error);
    }
  }
}

/** PostgreSQL's errors in the shape the engine reports them (as adapter-pg maps them). */
function asDriverAdapterError(error: unknown): unknown {
  if (!(error instanceof messages.DatabaseError)) return error;
  return new DriverAdapterError({
    kind: 'postgres',
    code: error.code ?? 'XX000',
    severity: error.severity ?? 'ERROR',
    message: error.message,
    detail: error.detail,
    column: error.column,
    hint: error.hint,
  });
}
