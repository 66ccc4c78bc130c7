import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { openBenchEnvironment as OpenBenchEnvironment } from './harness/bench-environment';
import type { BenchEnvironment } from './harness/bench-environment';
import { parseCommandLine } from '../src/cli/command-line';
import { runClosedLoop } from './load/drivers';
import { HttpLoad } from './load/http-sender';
import { parseBenchOptions } from './options';
import { SCENARIOS, SCENARIO_NAMES, requestsFor } from './scenarios';
import type { ScenarioName } from './scenarios';

/** The scenarios compared by default: the repeat, and the GraphQL floor it is held to. */
const DEFAULT_COMPARED: readonly ScenarioName[] = ['baseline', 'duplicate'];
/** The first round only warms both servers up (JIT, caches, stored responses); it is not reported. */
const WARM_UP_MS = 700;

/** One build under test: its checkout (built), the servers' Node flags, and its environment once open. */
interface Build {
  label: string;
  root: string;
  nodeArgs: string;
  environment?: BenchEnvironment;
}

/** What one point measured. */
interface Sample {
  p50: number;
  throughputPerSec: number;
  /** The server process's CPU time (user + system) per request, µs. */
  cpuUsPerRequest: number;
  /** PostgreSQL's CPU time (all its processes) per request, µs: the other build sits idle meanwhile. */
  postgresUsPerRequest: number;
}

/**
 * `node dist/bench/interleaved-builds.js [--rounds 5] [--duration-ms 2000] [--connections 1,8]
 * [--scenarios baseline,duplicate] <checkout>[=<server node flags>] …`: the scenarios (those a
 * server answers over HTTP in a closed loop) on several builds at once (each checkout's own built
 * server, started by its own harness, with the same fixtures as `npm run bench`), round after
 * round, alternating the builds, so that a noisy machine's load falls on all of them alike. Prints
 * each round's load average, and per build and point the medians of p50, throughput, server and
 * PostgreSQL CPU per request, and (with both scenarios) of each round's duplicate / baseline p50.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine(
    {
      usage: 'node dist/bench/interleaved-builds.js [options] <checkout>[=<node flags>] …',
      about:
        'Alternates built checkouts round by round on the same scenarios and load, and prints each round and the medians.',
      options: {
        rounds: 'measured rounds (after one warm-up)',
        'duration-ms': 'length of a round per build',
        connections: 'closed-loop connections, comma-separated',
        scenarios: 'closed-loop scenarios of the main server, comma-separated',
      },
    },
    {
      allowPositionals: true,
      options: {
        rounds: { type: 'string', default: '5' },
        'duration-ms': { type: 'string', default: '2000' },
        connections: { type: 'string', default: '1,8' },
        scenarios: { type: 'string', default: DEFAULT_COMPARED.join(',') },
      },
    },
  );
  const compared = values.scenarios.split(',').map((name) => {
    const scenario = SCENARIOS[name as ScenarioName];
    if (!SCENARIO_NAMES.includes(name as ScenarioName) || scenario.target !== 'main' || scenario.shape !== 'closed')
      throw new Error(`--scenarios: ${name} is not a closed-loop scenario of the main server`);
    return scenario.name;
  });
  if (positionals.length === 0) throw new Error('usage: interleaved-builds <checkout>[=<node flags>] …');
  const rounds = Number(values.rounds);
  const durationMs = Number(values['duration-ms']);
  const connections = values.connections.split(',').map(Number);
  const builds: Build[] = positionals.map((spec) => {
    // At the first '=' only: the flags have their own (`--max-semi-space-size=32`).
    const at = spec.indexOf('=');
    const [root, nodeArgs] = at < 0 ? [spec, ''] : [spec.slice(0, at), spec.slice(at + 1)];
    return { label: `${path.basename(root)}${nodeArgs ? ` ${nodeArgs}` : ''}`, root: path.resolve(root), nodeArgs };
  });
  const samples = new Map<string, Sample[]>();
  const loads: string[] = [];
  try {
    for (const build of builds) build.environment = await openBuild(build, compared);
    for (let round = 0; round <= rounds; round += 1) {
      loads.push(readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '));
      const order = round % 2 === 0 ? builds : [...builds].reverse();
      for (const count of connections)
        for (const scenario of compared)
          for (const build of order) {
            const sample = await measure(build.environment!, scenario, count, round === 0 ? WARM_UP_MS : durationMs);
            if (round > 0) push(samples, `${build.label}|${scenario}|${count}`, sample);
          }
    }
  } finally {
    for (const build of builds) await build.environment?.close();
  }
  console.log(`load average (1, 5, 15 min) at each round: ${loads.join(' | ')}`);
  console.log(
    '| build | scenario | connections | p50 (ms) | req/s | server CPU µs per request | PostgreSQL CPU µs per request |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const build of builds)
    for (const scenario of compared)
      for (const count of connections) {
        const points = samples.get(`${build.label}|${scenario}|${count}`)!;
        const cells = [
          build.label,
          scenario,
          count,
          median(points.map((point) => point.p50)).toFixed(2),
          median(points.map((point) => point.throughputPerSec)).toFixed(0),
          median(points.map((point) => point.cpuUsPerRequest)).toFixed(0),
          median(points.map((point) => point.postgresUsPerRequest)).toFixed(0),
        ];
        console.log(`| ${cells.join(' | ')} |`);
      }
  if (!compared.includes('baseline') || !compared.includes('duplicate')) return;
  console.log('\n| build | connections | duplicate / baseline p50 (median of rounds) |');
  console.log('| --- | ---: | ---: |');
  for (const build of builds)
    for (const count of connections) {
      const base = samples.get(`${build.label}|baseline|${count}`)!;
      const dup = samples.get(`${build.label}|duplicate|${count}`)!;
      const ratio = median(dup.map((sample, index) => sample.p50 / base[index].p50));
      console.log(`| ${build.label} | ${count} | ${ratio.toFixed(2)} |`);
    }
}

/** Opens a bench environment with the build's own harness, so that its own server runs. */
async function openBuild(build: Build, compared: readonly ScenarioName[]): Promise<BenchEnvironment> {
  const harness = path.join(build.root, 'dist/bench/harness/bench-environment.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- another checkout's build, chosen at run time
  const { openBenchEnvironment } = require(harness) as { openBenchEnvironment: typeof OpenBenchEnvironment };
  const flags = build.nodeArgs ? [`--server-node-args=${build.nodeArgs}`] : [];
  return openBenchEnvironment(parseBenchOptions(['--scenarios', compared.join(','), ...flags]), false);
}

async function measure(
  environment: BenchEnvironment,
  scenario: ScenarioName,
  connections: number,
  durationMs: number,
): Promise<Sample> {
  const { main } = environment.servers;
  const load = new HttpLoad(main.url);
  const requestFor = requestsFor(scenario, environment.fixtures, `${scenario}-${connections}-${Date.now()}`);
  const senders = load.workers(connections, requestFor, SCENARIOS[scenario].expected);
  const [cpuBefore, postgresBefore] = [cpuMs(main.pid), postgresCpuMs()];
  const point = await runClosedLoop(senders, durationMs);
  const [cpu, postgres] = [cpuMs(main.pid) - cpuBefore, postgresCpuMs() - postgresBefore];
  await load.close();
  const requests = Math.max(1, point.requests);
  return {
    p50: point.latencyMs.p50,
    throughputPerSec: point.throughputPerSec,
    cpuUsPerRequest: (cpu * 1000) / requests,
    postgresUsPerRequest: (postgres * 1000) / requests,
  };
}

/** A process's /proc stat fields after its name (the first is its state, the second its parent's pid). */
function statFields(pid: number): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
}

/** A process's CPU time so far (user + system), ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * The CPU time so far of PostgreSQL on this machine (ms): every process named postgres, and the
 * postmaster's reaped children (cutime + cstime), so that a backend which ends between two readings
 * still counts (summing the live ones alone went negative when one did).
 */
function postgresCpuMs(): number {
  const postgres = new Map<number, string[]>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres')
        postgres.set(Number(pid), statFields(Number(pid)));
    } catch {
      // The process ended meanwhile.
    }
  }
  let total = 0;
  for (const fields of postgres.values()) {
    total += (Number(fields[11]) + Number(fields[12])) * 10;
    // The postmaster (its parent is no postgres) adds the time of the backends it has reaped.
    if (!postgres.has(Number(fields[1]))) total += (Number(fields[13]) + Number(fields[14])) * 10;
  }
  return total;
}

function push(samples: Map<string, Sample[]>, key: string, sample: Sample): void {
  samples.set(key, [...(samples.get(key) ?? []), sample]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
