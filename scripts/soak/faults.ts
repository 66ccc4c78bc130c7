import { Client } from 'pg';
import { waitUntil } from '../harness/wait';
import type { Instance, Region, SoakDeployment } from './deployment';

export type FaultKind =
  | 'instance SIGKILL'
  | 'instance SIGSTOP'
  | 'redis master SIGKILL'
  | 'redis failover'
  | 'region redis lost'
  | 'postgres sessions terminated'
  | 'postgres primary failover';

export interface Fault {
  kind: FaultKind;
  detail: string;
  /** Milliseconds since the run started. */
  startedAt: number;
  endedAt: number;
  /** Set when the fault could not be injected or healed (the run reports it, it is not a violation). */
  error?: string;
}

/** The faults drawn at random, with their weights (the primary failover is scheduled apart, once). */
const DRAWN: [FaultKind, number][] = [
  ['instance SIGKILL', 3],
  ['instance SIGSTOP', 3],
  ['redis master SIGKILL', 2],
  ['redis failover', 2],
  ['region redis lost', 1],
  ['postgres sessions terminated', 3],
];

/** mulberry32: a small, fast, seeded generator (same seed, same fault schedule). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface FaultSchedulerOptions {
  deployment: SoakDeployment;
  random: () => number;
  durationMs: number;
  /** Mean pause between the end of one fault and the start of the next (ms). */
  faultEveryMs: number;
  startedAt: number;
  log: (line: string) => void;
}

/**
 * Injects faults one after another until `durationMs` (each healed before the next starts), and
 * the one PostgreSQL primary failover of the run at the first slot after half the run.
 */
export async function runFaults(options: FaultSchedulerOptions): Promise<Fault[]> {
  const { deployment, random, durationMs, startedAt, log } = options;
  const faults: Fault[] = [];
  const now = () => Date.now() - startedAt;
  let failedOver = false;
  const injectLogged = async (kind: FaultKind): Promise<Fault> => {
    const fault: Fault = { kind, detail: '', startedAt: now(), endedAt: 0 };
    try {
      fault.detail = await inject(kind, deployment, random);
    } catch (error) {
      fault.error = (error as Error).message;
    }
    fault.endedAt = now();
    log(`fault ${faults.length + 1} at ${fault.startedAt} ms: ${kind} ${fault.detail} ${fault.error ?? ''}`.trim());
    return fault;
  };
  while (now() < durationMs - 2_000) {
    await sleep(Math.min(options.faultEveryMs * (0.5 + random()), Math.max(0, durationMs - now() - 2_000)));
    if (now() >= durationMs - 2_000) break;
    const kind: FaultKind = !failedOver && now() >= durationMs / 2 ? 'postgres primary failover' : draw(random);
    failedOver ||= kind === 'postgres primary failover';
    faults.push(await injectLogged(kind));
  }
  // Slow faults (a busy machine heals a cluster slowly) must not skip the run's one failover.
  if (!failedOver) faults.push(await injectLogged('postgres primary failover'));
  return faults;
}

function draw(random: () => number): FaultKind {
  const total = DRAWN.reduce((sum, [, weight]) => sum + weight, 0);
  let pick = random() * total;
  for (const [kind, weight] of DRAWN) if ((pick -= weight) < 0) return kind;
  return DRAWN[0][0];
}

async function inject(kind: FaultKind, deployment: SoakDeployment, random: () => number): Promise<string> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  switch (kind) {
    case 'instance SIGKILL':
      return killInstance(pick(deployment.instances), deployment);
    case 'instance SIGSTOP':
      return pauseInstance(pick(deployment.instances), 1_000 + random() * 3_000);
    case 'redis master SIGKILL':
      return killRedisMaster(pick(deployment.regions), pick);
    case 'redis failover': {
      const region = pick(deployment.regions);
      const master = pick(await region.cluster.masterPorts());
      await region.cluster.swapMasterWithReplica(master);
      await region.cluster.waitHealthy();
      return `${region.name} master ${master} swapped with its replica`;
    }
    case 'region redis lost':
      return loseRegionRedis(pick(deployment.regions));
    case 'postgres sessions terminated':
      return terminateSessions(deployment);
    case 'postgres primary failover':
      return failOverPrimary(deployment);
  }
}

async function killInstance(instance: Instance, deployment: SoakDeployment): Promise<string> {
  const { pid } = instance.process.child;
  instance.killing = instance.process;
  instance.process.child.kill('SIGKILL');
  await instance.process.exited;
  await sleep(1_000);
  await deployment.restartInstance(instance);
  return `${instance.name} (pid ${pid}) killed, restarted as pid ${instance.process.child.pid}`;
}

async function pauseInstance(instance: Instance, pauseMs: number): Promise<string> {
  instance.process.child.kill('SIGSTOP');
  instance.stopped = true;
  await sleep(pauseMs);
  instance.process.child.kill('SIGCONT');
  instance.stopped = false;
  return `${instance.name} stopped for ${Math.round(pauseMs)} ms`;
}

async function killRedisMaster(region: Region, pick: <T>(items: readonly T[]) => T): Promise<string> {
  const master = pick(await region.cluster.masterPorts());
  await region.cluster.killNode(master);
  await waitUntil(
    `a replica of ${master} to take over`,
    async () => !(await region.cluster.masterPorts()).includes(master),
    20_000,
    250,
  );
  await region.cluster.restartNode(master);
  await region.cluster.waitHealthy();
  return `${region.name} master ${master} killed, its replica took over, it rejoined as a replica`;
}

async function loseRegionRedis(region: Region): Promise<string> {
  const ports = region.cluster.nodes.map((node) => node.port);
  await Promise.all(ports.map((port) => region.cluster.killNode(port)));
  await sleep(3_000);
  for (const port of ports) await region.cluster.restartNode(port);
  await region.cluster.waitHealthy(60_000);
  return `${region.name}: all ${ports.length} nodes killed for 3 s, restarted empty`;
}

async function terminateSessions(deployment: SoakDeployment): Promise<string> {
  const client = new Client({ connectionString: deployment.primaryUrl(), connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    return `${rows.length} sessions terminated`;
  } finally {
    await client.end();
  }
}

async function failOverPrimary(deployment: SoakDeployment): Promise<string> {
  const { pair, proxy } = deployment;
  const started = Date.now();
  await pair.primary.crash();
  // The failover tool's detection time, then the promotion.
  await sleep(1_000);
  await pair.promoteStandby();
  await proxy.waitForPrimary(pair.standby.name);
  return `${pair.primary.name} SIGKILLed, ${pair.standby.name} promoted, HAProxy following it after ${Date.now() - started} ms`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
