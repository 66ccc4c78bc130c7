import { signViewerToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import { spawnServerProcess } from './server';
import type { ServerProcess } from './server';

/** Several server processes of one deployment: the same database and Redis, no balancer in front. */
export interface Instances {
  processes: ServerProcess[];
  /** Base URLs of the instances still running. */
  urls: () => string[];
  /** SIGKILLs one instance (a crash, not a shutdown). */
  crash: (index: number) => Promise<void>;
  /** SIGTERMs every instance still running and waits for it to exit. */
  stop: () => Promise<void>;
  /** Claims that went down the database path, summed over the running instances (their /metrics). */
  claimStoreFallbacks: () => Promise<number>;
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
      processes[index].child.kill('SIGKILL');
      await processes[index].exited;
    },
    stop,
    async claimStoreFallbacks() {
      const counts = await Promise.all(processes.filter(running).map((process) => fallbacksOf(process.url)));
      return counts.reduce((sum, count) => sum + count, 0);
    },
  };
}

/** order_gate_claim_store_fallbacks_total of one instance, every operation summed. */
async function fallbacksOf(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('order_gate_claim_store_fallbacks_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Signs customer tokens the way servers started with `env` accept them. */
export function customerTokens(env: Record<string, string>): (customerId: string) => Promise<string> {
  const secret = loadConfig(env).jwtSecret;
  return (customerId) => signViewerToken({ customerId, role: 'customer' }, secret);
}
