import os from 'node:os';
import { runClient, soakIntent } from './clients';
import type { AttemptRecord, ClientResult, SoakIntent } from './clients';
import { startSoakDeployment } from './deployment';
import { runFaults, seededRandom } from './faults';
import { InvariantChecker } from './invariants';
import { buildReport, formatReport } from './report';
import type { SoakReport } from './report';
import { parseCommandLine } from '../../src/cli/command-line';
import { integerOption } from '../../src/cli/option-values';

const HELP = {
  usage: 'npm run soak -- [options]',
  about:
    'Production shape on loopback for --minutes: intents at --rate per second with retries and faults; reports any intent with two orders or no final answer.',
};

export interface SoakOptions {
  minutes: number;
  /** Intents started per second; each is sent by two clients. */
  rate: number;
  seed: number;
  /** Mean pause between faults (s). Default 15: 40 faults in 10 minutes. */
  faultEverySeconds?: number;
  /** Keep the instances' logs in this folder (`--logs DIR`). */
  logDirectory?: string;
  log?: (line: string) => void;
}

const CLIENTS_PER_INTENT = 2;
/** A client still without a final answer this long after its intent started is reported (ms). */
const CLIENT_BUDGET_MS = 90_000;
const LIVE_CHECK_EVERY_MS = 10_000;

/**
 * The soak (npm run soak -- --minutes N --rate R --seed S): production shape on loopback, R intents
 * a second each sent by two clients that retry on any instance of either region, seeded faults,
 * invariants checked live and at the end. Resolves with the report; tears everything down.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const durationMs = options.minutes * 60_000;
  const deployment = await startSoakDeployment(log, options.logDirectory);
  try {
    const startedAt = Date.now();
    const runId = startedAt.toString(36);
    const checker = new InvariantChecker(startedAt);
    const attempts: AttemptRecord[] = [];
    const clients: Promise<ClientResult>[] = [];
    const intents: SoakIntent[] = [];
    const clientRandom = seededRandom(options.seed + 1);
    let driving = true;
    const faults = runFaults({
      deployment,
      random: seededRandom(options.seed),
      durationMs,
      faultEveryMs: (options.faultEverySeconds ?? 15) * 1_000,
      startedAt,
      log,
    });
    const liveChecks = (async () => {
      while (driving) {
        await sleep(LIVE_CHECK_EVERY_MS);
        await checker.checkLive(deployment.primaryUrl());
      }
    })();
    log(`driving ${options.rate} intents/s for ${options.minutes} min (seed ${options.seed})`);
    while (Date.now() - startedAt < durationMs) {
      const due = Math.floor(((Date.now() - startedAt) * options.rate) / 1_000);
      while (intents.length < due) {
        const intent = soakIntent(intents.length, runId, '');
        intent.token = await deployment.tokenFor(intent.customerId);
        intents.push(intent);
        for (let client = 0; client < CLIENTS_PER_INTENT; client++)
          clients.push(
            runClient(intent, {
              targets: () => deployment.urls(),
              budgetMs: CLIENT_BUDGET_MS,
              random: clientRandom,
              onAttempt: (attempt) => attempts.push(attempt),
              onFinal: (result) => checker.onFinal(result),
            }),
          );
      }
      await sleep(Math.max(1, 1_000 / options.rate / 2));
    }
    const drivingMs = Date.now() - startedAt;
    log(`driving done: ${intents.length} intents; waiting for the clients and the last fault`);
    const [results, faultList] = await Promise.all([Promise.all(clients), faults]);
    driving = false;
    await liveChecks;
    await checker.checkFinal(deployment.primaryUrl(), results, intents);
    return buildReport({
      seed: options.seed,
      minutes: options.minutes,
      targetRate: options.rate,
      intents: intents.length,
      drivingMs,
      startedAt,
      attempts,
      results,
      faults: faultList,
      liveChecks: checker.liveChecks,
      violations: checker.violations,
      loadAverage: os.loadavg(),
      selfExits: [...deployment.selfExits],
    });
  } finally {
    await deployment.stop();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(): Promise<void> {
  const { values } = parseCommandLine(HELP, {
    options: {
      minutes: { type: 'string', default: '2' },
      rate: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      'fault-every': { type: 'string', default: '15' },
      logs: { type: 'string' },
    },
  });
  const report = await runSoak({
    minutes: integerOption('minutes', values.minutes),
    rate: integerOption('rate', values.rate),
    seed: integerOption('seed', values.seed, 0),
    faultEverySeconds: integerOption('fault-every', values['fault-every']),
    logDirectory: values.logs,
  });
  console.log(formatReport(report));
  process.exitCode = report.violations.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  });
}
