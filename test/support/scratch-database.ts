import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Throw-away PostgreSQL databases: the shadow database of scripts/create-migration.ts and the
 * per-suite databases of integration tests.
 */

export interface ScratchDatabase {
  name: string;
  /** `serverUrl` with the scratch database in place of its database. */
  url: string;
}

/**
 * Creates an empty database with a unique name on the server of `serverUrl` (whose own database
 * is only used to connect).
 */
export async function createScratchDatabase(serverUrl: string, prefix = 'scratch'): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`.toLowerCase();
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  return { name, url: withDatabase(serverUrl, name) };
}

/** Drops the database, first ending the sessions still connected to it (DROP refuses otherwise). */
export async function dropScratchDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, async (client) => {
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)}`);
  });
}

/** `url` pointing at `database` instead, everything else (credentials, host, parameters) kept. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

async function withClient<T>(url: string, task: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}
