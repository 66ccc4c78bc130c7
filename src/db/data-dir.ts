import { access, constants, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/config';
import { lockDataDir } from './data-dir-lock';
import type { DataDirLock } from './data-dir-lock';

/** Node's code of a failed file operation, when it has one. */
const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/** Why a folder operation was refused, in words; `missing` says what ENOENT means where it was met. */
function refusal(error: unknown, missing: string): string {
  const code = codeOf(error);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOENT') return missing;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates the embedded database's folder when missing, checks that this process may write in it,
 * and locks it to this process. Every refusal is a ConfigError of one line naming EMBEDDED_DATA_DIR,
 * the path and why, which main prints alone.
 */
export async function prepareDataDir(dataDir: string): Promise<DataDirLock> {
  const refuse = (why: string) =>
    new ConfigError(`Cannot start: EMBEDDED_DATA_DIR ${dataDir} cannot be the database's folder: ${why}`);
  const problem = await createFolder(dataDir);
  if (problem) throw refuse(problem);
  try {
    // PGlite would otherwise fail later with a bare `ErrnoError { errno: 2 }`.
    await access(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    throw refuse(`cannot write in it: ${refusal(error, 'it was removed')}`);
  }
  try {
    return await lockDataDir(dataDir);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw refuse(`cannot create its lock file ${dataDir}.lock: ${refusal(error, 'its folder was removed')}`);
  }
}

/**
 * Creates `folder` and its missing parents one at a time, or says why not. Node 20's
 * `mkdir({ recursive: true })` loops for ever where a filesystem answers ENOENT for a folder whose
 * parent exists (/proc does), so the parents are created here from the deepest existing one down.
 */
async function createFolder(folder: string): Promise<string | undefined> {
  const missing: string[] = [];
  let existing = folder;
  for (;;) {
    let found;
    try {
      found = await stat(existing);
    } catch (error) {
      // ENOTDIR: a file higher up, which the walk up meets and names.
      if (codeOf(error) !== 'ENOENT' && codeOf(error) !== 'ENOTDIR')
        return `cannot reach ${existing}: ${refusal(error, 'it was removed')}`;
    }
    if (found) {
      if (found.isDirectory()) break;
      return existing === folder ? 'it is a file, not a folder' : `${existing} is a file, not a folder`;
    }
    missing.unshift(existing);
    const parent = path.dirname(existing);
    if (parent === existing) break; // a root that does not exist: mkdir below says why
    existing = parent;
  }
  for (const next of missing) {
    try {
      await mkdir(next);
    } catch (error) {
      if (codeOf(error) === 'EEXIST') {
        if ((await stat(next).catch(() => null))?.isDirectory()) continue; // made meanwhile
        // A link to nothing: stat (which follows it) said missing, mkdir finds its name taken.
        return `cannot create ${next}: it is a link to nothing or not a folder`;
      }
      return `cannot create ${next}: ${refusal(error, 'its filesystem takes no new folders')}`;
    }
  }
  return undefined;
}
