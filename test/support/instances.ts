import { signViewerToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import { spawnServerProcess } from './server';
import type { ServerProcess } from './server';

/** Several server processes of one deployment: the same database and Redis, no balancer in front. */
export interface Instances {
  processes: ServerProcess[];
  /** Base URLs of the instances still running. */
  urls(): string[];
  /** SIGKILLs one instance (a crash, not a shutdown). */
  crash(index: number): Promise<void>;
  /** SIGTERMs every instance still running and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `count` built servers (`npm run build` first) with the same environment, in parallel. */
export async function startInstances(count: number, env: Record<string, string>): Promise<Instances> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => spawnServerProcess(env)));
  const processes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const running = (process: ServerProcess) => process.child.exitCode === null && process.child.signalCode === null;
  const stop = async () => {
    await Promise.all(
      processes.filter(running).map(async (process) => {
        process.child.kill('SIGTERM');
        const killer = setTimeout(() => process.child.kill('SIGKILL'), 5_000);
        await process.exited;
        clearTimeout(killer);
      }),
    );
  };
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  return {
    processes,
    urls: () => processes.filter(running).map((process) => process.url),
    async crash(index) {
      processes[index]!.child.kill('SIGKILL');
      await processes[index]!.exited;
    },
    stop,
  };
}

/** Signs customer tokens the way servers started with `env` accept them. */
export function customerTokens(env: Record<string, string>): (customerId: string) => Promise<string> {
  const secret = loadConfig(env).jwtSecret;
  return (customerId) => signViewerToken({ customerId, role: 'customer' }, secret);
}
