import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The project root, from dist/bench/harness (built) or bench/harness (ts-jest). */
export const PROJECT_ROOT = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../..' : '../..',
);

/** A running server process. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** SIGTERM, then waits for the exit (the server drains; a CPU profile is written then). */
  stop(): Promise<void>;
}

/** Options of {@link startServerProcess}. */
export interface ServerProcessOptions {
  /** The server's environment on top of this process's (DATABASE_URL, REDIS_URL, …). */
  env: Record<string, string>;
  /** Write a V8 CPU profile (`--cpu-prof`) into this folder when the server exits. Default none. */
  cpuProfileDir?: string;
  /** More Node flags (e.g. `--max-semi-space-size=32`). Default none. */
  nodeArgs?: readonly string[];
  /** How long to wait for /healthz (ms). Default 30 000. */
  readyTimeoutMs?: number;
}

/** A port nobody listens on right now (bound and released at once). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the built server (`dist/src/main.js`) as its own OS process on a free loopback port and
 * waits until /healthz answers. Its logs go to /dev/null: reading them would cost this process,
 * the load generator, CPU. stderr is kept for the error message if it fails to start.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = await freePort();
  const nodeArgs = [
    ...(options.nodeArgs ?? []),
    ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
  ];
  const child = spawn(process.execPath, [...nodeArgs, path.join(PROJECT_ROOT, 'dist/src/main.js')], {
    env: { ...process.env, ...options.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  while (!(await healthy(url))) {
    if (exitCode !== undefined) throw new Error(`server exited (${exitCode}) before serving: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer /healthz in time: ${stderr}`);
    }
    await sleep(100);
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`)).ok;
  } catch {
    return false;
  }
}
