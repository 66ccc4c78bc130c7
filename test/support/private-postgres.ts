import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './redis-server';

const run = promisify(execFile);

/** PostgreSQL 15's programs (Debian's layout); TEST_POSTGRES_BIN overrides. */
const POSTGRES_BIN = process.env['TEST_POSTGRES_BIN'] ?? '/usr/lib/postgresql/15/bin';

/** A PostgreSQL server of a test's own, for faults that must never reach the shared one. */
export interface PrivatePostgres {
  port: number;
  /** The `postgres` database as the `postgres` superuser. */
  url: string;
  /** Runs one statement on the `postgres` database with a short-lived connection. */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Stops the server at once and removes its files. */
  stop(): Promise<void>;
}

/**
 * initdb and pg_ctl on a free loopback port, in a temporary folder, with `settings` (e.g.
 * `{ max_connections: '12' }`) on the command line. initdb refuses to run as root: then both run
 * as the `postgres` OS user, which owns the folder. fsync is off: the files are thrown away.
 */
export async function startPrivatePostgres(settings: Record<string, string> = {}): Promise<PrivatePostgres> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'og-private-pg-'));
  const asRoot = process.getuid?.() === 0;
  const asOwner = async (program: string, args: string[]) => {
    const binary = path.join(POSTGRES_BIN, program);
    return asRoot ? run('runuser', ['-u', 'postgres', '--', binary, ...args]) : run(binary, args);
  };
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    await chown(dataDir, Number(stdout.trim()), Number(group.trim()));
  }
  const port = await freePort();
  const options = Object.entries({
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: dataDir,
    fsync: 'off',
    ...settings,
  })
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
  try {
    await asOwner('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    await asOwner('pg_ctl', ['-D', dataDir, '-o', options, '-l', path.join(dataDir, 'server.log'), '-w', 'start']);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  return {
    port,
    url,
    async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<T>(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    async stop() {
      await asOwner('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
