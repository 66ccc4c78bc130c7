import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

/** The repository's root: the nearest folder above this file (or its build in dist/) with a package.json. */
export function projectRoot(): string {
  let folder = __dirname;
  while (!existsSync(path.join(folder, 'package.json')) || path.basename(folder) === 'dist') {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${__dirname}`);
    folder = parent;
  }
  return folder;
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Every JSON log line the process has written to stdout so far. */
  logs: Record<string, unknown>[];
  /** What the process has written to stderr so far (a library's console lines end up there). */
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/**
 * The built server, relative to the project root: what `npm start` runs after `npm run build`, and
 * what every test that starts the server as a process runs (test/docs/examples.test.ts holds
 * package.json's `start` to it).
 */
export const SERVER_ENTRY = 'dist/src/main.js';

/** The built server (SERVER_ENTRY, made by `npm run build`) as a separate OS process. */
export async function spawnServerProcess(
  env: Record<string, string>,
  // Generous: on a busy two-core machine one start has taken 9 s, and suites start several at once.
  timeoutMs = 60_000,
  options: {
    keepLogs?: boolean;
    /** With `keepLogs: false`, the server's log lines after its start go to this file instead. */
    logFile?: string;
    /** Another build of the server (e.g. the Dockerfile's): its folder and the script node runs there. */
    build?: { cwd: string; entry: string[] };
  } = {},
): Promise<ServerProcess> {
  const build = options.build ?? { cwd: projectRoot(), entry: [SERVER_ENTRY] };
  const child = spawn(process.execPath, build.entry, {
    cwd: build.cwd,
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string; level?: number };
        logs.push(entry);
        // TEST_SERVER_LOGS=1 shows what a spawned server warns about (pino: 40 = warn).
        if (process.env['TEST_SERVER_LOGS'] && (entry.level ?? 0) >= 40) process.stderr.write(`${line}\n`);
        if (entry.msg === 'order gate is serving' && entry.url) {
          clearTimeout(timer);
          // A long run (the soak) reads no further: its servers log every request.
          if (options.keepLogs === false) {
            lines.close();
            if (options.logFile) {
              // stderr too: what a process that dies by itself last said.
              const file = createWriteStream(options.logFile, { flags: 'a' });
              child.stdout.pipe(file, { end: false });
              child.stderr?.pipe(file, { end: false });
            } else child.stdout.resume();
          }
          resolve(entry.url.replace(/\/graphql$/, ''));
        }
      } catch {
        // not a log line of ours
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before serving: ${stderr}`));
    });
  });
  return { url, child, logs, exited, stderr: () => stderr };
}
