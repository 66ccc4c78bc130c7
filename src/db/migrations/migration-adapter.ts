import { PrismaPg } from '@prisma/adapter-pg';
import { ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import type {
  ConnectionInfo,
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { survivingDroppedConnections } from '../dropped-connections';

/**
 * The driver adapter the schema engine uses to reach PostgreSQL: `@prisma/adapter-pg` on pools
 * this module owns, with three fixes over using `PrismaPg` directly (see prisma-offline.md):
 *
 * - the engine reads PostgreSQL's internal `"char"` type (OID 18, e.g. `pg_constraint.contype`)
 *   and expects it as a character, but adapter-pg 7.10 rejects that type ("Column type 'char'
 *   could not be deserialized");
 * - adapter-pg runs a migration script statement by statement (split on `;`, no transaction),
 *   where the engine expects it to run as one script (see `executeScript` below);
 * - `PrismaPg.connectToShadowDb()` can run the "shadow" work on the real database (with a
 *   connection string, the URL's database wins over its `database` override) and leaves its
 *   shadow database behind (it drops it before closing its pool). Here the shadow database is
 *   one the caller created, and dropping it stays with the caller.
 */

/** PostgreSQL's internal single-byte `"char"` type. */
const CHAR_OID = 18;
/** `text`: adapter-pg maps it to a string column, and pg leaves its values as strings. */
const TEXT_OID = 25;
/**
 * Appended to the name of `"char"` columns while they travel through adapter-pg as text, so the
 * result can be turned back into a character column. A NUL cannot occur in a PostgreSQL name.
 */
const CHAR_COLUMN_MARK = '\u0000"char"';

export interface MigrationAdapterOptions {
  /** The database the engine migrates. */
  databaseUrl: string;
  /**
   * An existing, empty database the engine may use as its shadow database (diffing from a
   * migrations directory needs one). Without it, asking for a shadow database fails.
   */
  shadowDatabaseUrl?: string;
}

export interface MigrationAdapter {
  /** Pass this to `openSchemaEngine`. */
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Closes every pool the engine was given. Call it after freeing the engine. */
  close(): Promise<void>;
}

export function createMigrationAdapter(options: MigrationAdapterOptions): MigrationAdapter {
  const factory = new PgMigrationAdapterFactory(options);
  return { factory, close: () => factory.close() };
}

class PgMigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName = '@prisma/adapter-pg';
  // The engine does not dispose every adapter it gets (not the main one), so the pools are ours to end.
  private readonly pools: pg.Pool[] = [];

  constructor(private readonly options: MigrationAdapterOptions) {}

  connect(): Promise<SqlDriverAdapter> {
    return this.adapterFor(this.options.databaseUrl);
  }

  connectToShadowDb(): Promise<SqlDriverAdapter> {
    const { shadowDatabaseUrl } = this.options;
    if (!shadowDatabaseUrl) {
      return Promise.reject(new Error('This operation needs a shadow database, but none was provided.'));
    }
    return this.adapterFor(shadowDatabaseUrl);
  }

  async close(): Promise<void> {
    const pools = this.pools.splice(0);
    await Promise.all(pools.map((pool) => pool.end()));
  }

  private async adapterFor(connectionString: string): Promise<SqlDriverAdapter> {
    const pool = survivingDroppedConnections(
      new pg.Pool({ connectionString, application_name: 'order-gate-migrator' }),
    );
    pool.on('connect', (client) => client.connection.prependListener('rowDescription', markCharColumns));
    this.pools.push(pool);
    // Given a pool, PrismaPg never ends it (no `disposeExternalPool`): close() does.
    return new CharColumnAdapter(await new PrismaPg(pool).connect());
  }
}

/** The part of pg's RowDescription protocol message read here. */
interface RowDescription {
  fields: { name: string; dataTypeID: number }[];
}

/**
 * Runs before pg reads a result's column descriptions: `"char"` columns pass as marked text
 * columns, which adapter-pg accepts. pg has no public hook for this, hence the protocol event.
 */
function markCharColumns(message: RowDescription): void {
  for (const field of message.fields) {
    if (field.dataTypeID === CHAR_OID) {
      field.dataTypeID = TEXT_OID;
      field.name += CHAR_COLUMN_MARK;
    }
  }
}

/** Turns the marked text columns back into the character columns the engine asks for. */
function restoreCharColumns(result: SqlResultSet): SqlResultSet {
  const columnTypes = [...result.columnTypes];
  const columnNames = result.columnNames.map((name, index) => {
    if (!name.endsWith(CHAR_COLUMN_MARK)) return name;
    columnTypes[index] = ColumnTypeEnum.Character;
    return name.slice(0, -CHAR_COLUMN_MARK.length);
  });
  return { ...result, columnNames, columnTypes };
}

/**
 * An adapter that passes every call on to another one; subclasses override what they fix.
 * Transactions pass through as they are: the engine describes schemas (the queries that read
 * `"char"` columns) outside transactions, and adapter-pg's transactions carry savepoint methods a
 * wrapper would hide.
 */
export class DelegatingAdapter implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter['provider'];
  readonly adapterName: string;
  readonly getConnectionInfo?: () => ConnectionInfo;

  constructor(protected readonly inner: SqlDriverAdapter) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    this.getConnectionInfo = inner.getConnectionInfo?.bind(inner);
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.inner.queryRaw(query);
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.inner.executeRaw(query);
  }

  executeScript(script: string): Promise<void> {
    return this.inner.executeScript(script);
  }

  startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    return this.inner.startTransaction(isolationLevel);
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

/** adapter-pg's adapter, with `"char"` columns restored in every result and scripts run whole. */
class CharColumnAdapter extends DelegatingAdapter {
  override async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return restoreCharColumns(await this.inner.queryRaw(query));
  }

  /**
   * Runs a whole migration script as ONE simple query, as the native engine does. adapter-pg's own
   * `executeScript` splits the script on every `;` (breaking `$$` function bodies, strings and
   * comments that contain one) and runs the pieces one by one, each on any connection of the
   * pool, with no transaction. PostgreSQL runs a multi-statement simple query as one implicit
   * transaction, so a migration now applies all or nothing. Going through `executeRaw` with no
   * parameters keeps adapter-pg's error mapping; without parameters pg sends a simple query
   * (the extended protocol, which allows one statement only, is used for parameters).
   */
  override async executeScript(script: string): Promise<void> {
    await this.inner.executeRaw({ sql: script, args: [], argTypes: [] });
  }
}
