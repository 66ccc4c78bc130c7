import { readFile, rm, writeFile } from 'node:fs/promises';
import { ConfigError } from '../config/config';

/** Held while a process uses a data folder; release it when done. */
export interface DataDirLock {
  /** The lock file. */
  readonly path: string;
  release(): Promise<void>;
}

/**
 * Another live process holds the folder. The message is the server's; a tool says toolMessage.
 */
export class DataDirInUseError extends ConfigError {
  override name = 'DataDirInUseError';

  constructor(
    readonly dataDir: string,
    readonly holder: number,
  ) {
    super(
      `Cannot start: EMBEDDED_DATA_DIR ${dataDir} is in use by process ${holder}: the embedded database ` +
        'serves one process at a time. Stop that process, or give this one another folder (EMBEDDED_DATA_DIR), ' +
        'or run the servers mode (DATABASE_URL and REDIS_URL) for several instances.',
    );
  }

  /**
   * What a tool that opens the folder (`npm run migrate`, `npm run risk:report`…) says instead: it
   * starts nothing, and "another folder" would be another, empty database. `command` is how it is
   * run again; `servers` how to use a PostgreSQL server instead.
   */
  toolMessage(command: string, servers: string): string {
    return (
      `the embedded database in ${this.dataDir} is in use by process ${this.holder} (a running \`npm start\`?): ` +
      `stop it first, then run \`${command}\` again; or ${servers}`
    );
  }
}

/** How a tool that reads only DATABASE_URL uses a PostgreSQL server instead of the embedded database. */
export const DATABASE_URL_INSTEAD = 'point DATABASE_URL at a PostgreSQL server';

/**
 * Makes sure one process at a time opens the embedded database: PGlite takes no lock itself, and
 * two processes writing one folder corrupt it. The lock is a file beside the folder holding the
 * owner's pid; a lock whose process is gone (killed, crashed) is taken over.
 * @throws Error naming the folder and the pid of the live process that holds it.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = `${dataDir}.lock`;
  if (!(await tryCreate(path))) {
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (heldHere.has(path) || (holder !== process.pid && isAlive(holder))) {
      // The operator's to fix, like a bad variable: main prints the message alone.
      throw new DataDirInUseError(dataDir, holder);
    }
    // Stale. (Two processes taking over one stale lock in the same instant could both win:
    // a guard against mistakes, not a distributed lock.)
    await rm(path, { force: true });
    if (!(await tryCreate(path))) throw new Error(`${dataDir} was just opened by another process.`);
  }
  heldHere.add(path);
  return {
    path,
    async release() {
      heldHere.delete(path);
      await rm(path, { force: true });
    },
  };
}

/**
 * Lock files this process holds. A file naming our own pid that is not in here is stale: a
 * restarted container's server is often pid 1 again.
 */
const heldHere = new Set<string>();

/** Creates the lock file with our pid; false if it exists. */
async function tryCreate(path: string): Promise<boolean> {
  try {
    await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0); // signal 0: only checks that the process exists
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
