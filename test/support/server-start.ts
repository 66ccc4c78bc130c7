import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT, SERVER_ENTRY } from './server';

/**
 * Runs the built server with an environment and collects how it ended. One that is still running
 * after `timeoutMs` (it took what it should refuse) is killed, and its code is null: the test
 * fails on that instead of timing out with a server left behind holding its port.
 */
export function runServer(
  env: Record<string, string>,
  timeoutMs = 30_000,
  user: { uid?: number; gid?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, SERVER_ENTRY)], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...user,
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
