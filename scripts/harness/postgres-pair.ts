import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chown, mkdtemp, open, rm, writeFile, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './redis-server';
import { waitUntil } from './wait';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 binaries (package postgresql-15), the server the shared cluster runs. */
const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/** The standby's `application_name`, as `synchronous_standby_names` lists it. */
const STANDBY_NAME = 'standby_a';

export type Replication = 'synchronous' | 'asynchronous';

export interface PostgresNode {
  /** `pg_a` (the first primary) or `pg_b` (the first standby). */
  name: string;
  port: number;
  dataDirectory: string;
  /** `postgresql://postgres@127.0.0.1:<port>/<database>` (trust on loopback). */
  url(database?: string): string;
  running(): boolean;
  /** SIGKILLs the postmaster and every backend at once (its process group): the machine is gone. */
  crash(): Promise<void>;
  /** One statement on a short-lived connection (rejects while the node is down). */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<T[]>;
}

export interface PostgresPair {
  replication: Replication;
  /** The application database (migrations are the caller's business). */
  database: string;
  primary: PostgresNode;
  standby: PostgresNode;
  /** `pg_ctl promote -w` on the standby; resolves once it accepts writes. */
  promoteStandby(): Promise<void>;
  /**
   * Stops the standby's WAL receiver (empty `primary_conninfo`, reloaded): commits from now on stay
   * on the primary only, as the last commits before a crash do under asynchronous replication
   * whenever the standby lags. Refused for a synchronous pair (its commits would wait forever).
   */
  detachStandby(): Promise<void>;
  /**
   * Restarts the crashed old primary as a standby of the promoted one, the way a failover tool
   * fences it (Patroni restarts a demoted primary in recovery): it runs and answers reads, but
   * refuses every write.
   */
  restartOldPrimaryAsStandby(): Promise<void>;
  /** Stops both servers (SIGKILL: nothing to keep) and removes their folders. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A real primary and streaming standby from the machine's PostgreSQL 15 binaries, on free loopback
 * ports and in a temporary folder, never the shared cluster. As root (initdb refuses root) the
 * servers run as the `postgres` OS user, which owns the folder. `synchronous` lists the standby in
 * `synchronous_standby_names` (a commit returns once the standby flushed it); `asynchronous` does not.
 * Resolves once the standby streams (and, when synchronous, is the sync standby).
 */
export async function startPostgresPair(replication: Replication, database = 'ordergate'): Promise<PostgresPair> {
  const owner = await postgresOwner();
  const directory = await mkdtemp(path.join(os.tmpdir(), 'og-pg-pair-'));
  if (owner) await chown(directory, owner.uid, owner.gid);
  const nodes: LocalPostgres[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.crash()));
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const primary = new LocalPostgres('pg_a', await freePort(), directory, owner);
    nodes.push(primary);
    await primary.initialise();
    await primary.start();
    await primary.query(`CREATE DATABASE ${database}`, [], 'postgres');

    const standby = new LocalPostgres('pg_b', await freePort(), directory, owner);
    nodes.push(standby);
    await standby.cloneFrom(primary);
    await standby.start();
    // Only now: with no standby connected, every commit (CREATE DATABASE included) would wait.
    if (replication === 'synchronous') {
      await primary.query(`ALTER SYSTEM SET synchronous_standby_names = '${STANDBY_NAME}'`);
      await primary.query('SELECT pg_reload_conf()');
    }
    await waitUntil(
      `${standby.name} streaming from ${primary.name} (${replication})`,
      async () => {
        const rows = await primary.query<{ state: string; sync_state: string }>(
          'SELECT state, sync_state FROM pg_stat_replication WHERE application_name = $1',
          [STANDBY_NAME],
        );
        const expected = replication === 'synchronous' ? 'sync' : 'async';
        return rows[0]?.state === 'streaming' && rows[0]?.sync_state === expected;
      },
      30_000,
      100,
    );

    return {
      replication,
      database,
      primary,
      standby,
      async promoteStandby() {
        await standby.pgCtl(['promote', '-w', '-t', '60']);
        await waitUntil(`${standby.name} out of recovery`, async () => !(await standby.inRecovery()), 30_000);
      },
      async detachStandby() {
        if (replication === 'synchronous') throw new Error('a synchronous standby cannot be detached');
        await standby.query(`ALTER SYSTEM SET primary_conninfo = ''`);
        await standby.query('SELECT pg_reload_conf()');
        await waitUntil(
          `${standby.name}'s WAL receiver to stop`,
          async () => (await standby.query('SELECT 1 FROM pg_stat_wal_receiver')).length === 0,
          10_000,
        );
      },
      async restartOldPrimaryAsStandby() {
        if (primary.running()) throw new Error(`${primary.name} still runs: crash it first`);
        await primary.becomeStandbyOf(standby);
        await primary.start();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface OsUser {
  uid: number;
  gid: number;
}

/** The `postgres` OS user when we are root (initdb and postgres refuse to run as root), else none. */
async function postgresOwner(): Promise<OsUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** One server: its data folder, its port, its postmaster (leader of its own process group). */
class LocalPostgres implements PostgresNode {
  readonly dataDirectory: string;
  private postmaster?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly directory: string,
    private readonly owner: OsUser | undefined,
  ) {
    this.dataDirectory = path.join(directory, name);
  }

  url(database = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  running(): boolean {
    return this.postmaster !== undefined && this.postmaster.exitCode === null && this.postmaster.signalCode === null;
  }

  async initialise(): Promise<void> {
    await this.binary('initdb', [
      '-D',
      this.dataDirectory,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);
    // initdb's pg_hba.conf already trusts loopback, replication included.
    await appendFile(
      path.join(this.dataDirectory, 'postgresql.conf'),
      [
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${this.directory}'`,
        // The processes die, the machine does not: the page cache keeps every write, so fsync only
        // costs time here (replication's flush acknowledgement is still sent after the standby's write).
        'fsync = off',
        'shared_buffers = 32MB',
        'max_connections = 200',
        'wal_keep_size = 256MB',
        `wal_receiver_status_interval = 1s`,
        '',
      ].join('\n'),
    );
  }

  /** A base backup of `primary`, configured to stream from it under the standby's name. */
  async cloneFrom(primary: LocalPostgres): Promise<void> {
    await this.binary('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      'postgres',
      '-D',
      this.dataDirectory,
      '-X',
      'stream',
      '--checkpoint=fast',
      '--no-sync',
    ]);
    await this.followConfig(primary);
  }

  /** Turns this (stopped) server into a standby of `primary`: standby.signal and primary_conninfo. */
  async becomeStandbyOf(primary: LocalPostgres): Promise<void> {
    await this.followConfig(primary);
  }

  async start(): Promise<void> {
    const log = await open(path.join(this.directory, `${this.name}.log`), 'a');
    const child = spawn(
      path.join(POSTGRES_BIN, 'postgres'),
      ['-D', this.dataDirectory, '-p', String(this.port), '-c', `unix_socket_directories=${this.directory}`],
      { stdio: ['ignore', log.fd, log.fd], detached: true, uid: this.owner?.uid, gid: this.owner?.gid },
    );
    this.postmaster = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await log.close();
    await waitUntil(
      `${this.name} to accept connections on ${this.port}`,
      async () => {
        if (!this.running()) throw new Error('exited');
        await this.query('SELECT 1');
        return true;
      },
      60_000,
      100,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message} (see ${path.join(this.directory, `${this.name}.log`)})`);
    });
  }

  async crash(): Promise<void> {
    if (!this.running() || !this.postmaster?.pid) return;
    // The whole process group: postmaster, backends, WAL sender, checkpointer.
    process.kill(-this.postmaster.pid, 'SIGKILL');
    await this.exited;
  }

  async inRecovery(): Promise<boolean> {
    const [row] = await this.query<{ recovery: boolean }>('SELECT pg_is_in_recovery() AS recovery');
    return row.recovery;
  }

  async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = [], database = 'postgres') {
    const client = new Client({
      connectionString: this.url(database),
      connectionTimeoutMillis: 2_000,
      query_timeout: 30_000,
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async pgCtl(args: string[]): Promise<void> {
    await this.binary('pg_ctl', [...args, '-D', this.dataDirectory]);
  }

  private async followConfig(primary: LocalPostgres): Promise<void> {
    const conninfo = `host=127.0.0.1 port=${primary.port} user=postgres application_name=${STANDBY_NAME}`;
    await this.asOwner(
      path.join(this.dataDirectory, 'postgresql.auto.conf'),
      `primary_conninfo = '${conninfo}'\n`,
      'a',
    );
    await this.asOwner(path.join(this.dataDirectory, 'standby.signal'), '', 'w');
  }

  /** Writes a file in the data folder, owned by the server's user (postgres refuses others' files). */
  private async asOwner(file: string, text: string, mode: 'a' | 'w'): Promise<void> {
    if (mode === 'a') await appendFile(file, text);
    else await writeFile(file, text);
    if (this.owner) await chown(file, this.owner.uid, this.owner.gid);
  }

  private async binary(name: string, args: string[]): Promise<void> {
    await run(path.join(POSTGRES_BIN, name), args, {
      timeout: 120_000,
      uid: this.owner?.uid,
      gid: this.owner?.gid,
      cwd: this.directory,
    });
  }
}
