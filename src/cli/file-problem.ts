import { readFile, stat } from 'node:fs/promises';

/** Node's code of a failed file operation, when it has one. */
const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/** Why a file operation failed, in words, for what both reading and writing meet. */
function commonProblem(error: unknown): string {
  const code = codeOf(error);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  return error instanceof Error ? error.message : String(error);
}

/** Why a file cannot be written, in words (Node's `ENOENT: no such file or directory, open …` otherwise). */
export function unwritableFile(error: unknown): string {
  return codeOf(error) === 'ENOENT' ? 'its directory does not exist' : commonProblem(error);
}

/** Why a file cannot be read, in words: a missing one is not a missing directory. */
export function unreadableFile(error: unknown): string {
  return codeOf(error) === 'ENOENT' ? 'no such file' : commonProblem(error);
}

/**
 * The size of a regular file a tool is about to stream, or an Error whose message is one line: `named`
 * (`history.jsonl: cannot read the file`) and why not. Node names a directory only once a stream
 * has started (`EISDIR: illegal operation on a directory, read`), so it is said here first.
 */
export async function readableFileSize(file: string, named: string): Promise<number> {
  try {
    const found = await stat(file);
    if (found.isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
    return found.size;
  } catch (error) {
    throw new Error(`${named}: ${unreadableFile(error)}`, { cause: error });
  }
}

/** A file's bytes, or an Error as readableFileSize throws it. */
export async function readNamedFile(file: string, named: string) {
  try {
    return await readFile(file);
  } catch (error) {
    throw new Error(`${named}: ${unreadableFile(error)}`, { cause: error });
  }
}
