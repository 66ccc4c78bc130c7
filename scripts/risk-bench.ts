import os from 'node:os';
import { Redis } from 'ioredis';
import { RISK_COUNTER_NAMES } from '../src/risk/risk-counters';
import type { RiskCounts, SubjectCounters } from '../src/risk/risk-counters';
import { RedisRiskFeatureStore, recordOrderAttempt } from '../src/risk/risk-feature-store';
import { riskFeatures } from '../src/risk/risk-features';
import type { RiskFeatureInput } from '../src/risk/risk-features';
import { scoreRisk } from '../src/risk/risk-model';
import { decideRisk } from '../src/risk/risk-policy';
import { parseCommandLine } from '../src/cli/command-line';
import { integerOption, redisUrlOption, refuseOption } from '../src/cli/option-values';
import { urlWithoutPassword } from '../src/config/url-without-password';
import { deleteRedisPrefix } from '../test/support/redis';
import { modelOption } from './risk-model-option';

const HELP = {
  usage: 'npm run risk:bench -- [options]',
  about:
    "What scoring adds to a create, timed alone: the features, the model's score and the policy's decision (with --redis, the counters read from Redis too).",
};

/**
 * `npm run risk:bench -- [--model models/duplicate-risk.json] [--samples 200000] [--redis redis://127.0.0.1:6379]`
 *
 * What scoring adds to a create: features from the counters, the model's score and the policy's
 * decision, timed one call at a time (p50, p99) and in a tight loop (mean). With `--redis`, also
 * the feature store's round trip (customer and source at once), which the live path can overlap
 * with the database's work, and what each kind of store call costs this process and Redis.
 */
async function main(): Promise<void> {
  const { values } = parseCommandLine(HELP, {
    options: {
      model: { type: 'string', default: 'models/duplicate-risk.json' },
      samples: { type: 'string', default: '200000' },
      redis: { type: 'string' },
    },
  });
  // Refused before measuring, in one line each (exit 2), as the other tools refuse their options.
  const samples = integerOption('samples', values.samples);
  const redisUrl = values.redis === undefined ? undefined : await usableRedis(redisUrlOption('redis', values.redis));
  const model = await modelOption(values.model);
  const inputs = Array.from({ length: 1_024 }, (_, i) => inputOf(i));
  const score = (input: RiskFeatureInput) =>
    decideRisk({
      channelPolicy: 'HOLD',
      candidate: {
        equivalent: input.candidate.equivalent,
        withinStaticWindow: input.candidate.msSinceCandidate <= 600_000,
      },
      score: scoreRisk(model, riskFeatures(input)),
      thresholds: model.thresholds,
    });

  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += score(inputs[i & 1_023]).score ?? 0; // warm-up: let the JIT settle
  const timings = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const started = process.hrtime.bigint();
    sink += score(inputs[i & 1_023]).score ?? 0;
    timings[i] = Number(process.hrtime.bigint() - started) / 1_000;
  }
  const loopStarted = process.hrtime.bigint();
  for (let i = 0; i < samples; i++) sink += score(inputs[i & 1_023]).score ?? 0;
  const meanMicros = Number(process.hrtime.bigint() - loopStarted) / 1_000 / samples;
  timings.sort();
  const lines = [
    `load average at start: ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')} (${os.cpus().length} cores)`,
    `scoring (features + score + policy), ${samples} calls timed one by one: p50 ${percentile(timings, 0.5)} µs, p99 ${percentile(timings, 0.99)} µs, max ${timings[samples - 1].toFixed(1)} µs`,
    `scoring in a tight loop: mean ${meanMicros.toFixed(3)} µs per call`,
  ];
  if (redisUrl) lines.push(await benchStore(redisUrl), ...(await benchStoreCalls(redisUrl)));
  lines.push(`(checksum ${sink.toFixed(3)})`, '');
  process.stdout.write(lines.join('\n'));
}

/**
 * `url` once a Redis there has answered a PING; otherwise the option is refused in one line. A
 * client left to itself retried for 10 s, printing ioredis's "Unhandled error event" with its stack.
 */
async function usableRedis(url: string): Promise<string> {
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  // The socket's error (ECONNREFUSED, …) comes as an event; connect() then says only "Connection is closed.".
  let socketError: unknown;
  probe.on('error', (error: unknown) => (socketError = error));
  try {
    await probe.connect();
    await probe.ping();
    return url;
  } catch (error) {
    const cause = socketError ?? error;
    return refuseOption(
      `--redis ${urlWithoutPassword(url)}: Redis cannot be used (${cause instanceof Error ? cause.message : String(cause)})`,
    );
  } finally {
    probe.disconnect();
  }
}

async function benchStore(url: string): Promise<string> {
  const redis = new Redis(url);
  const prefix = `og-bench:risk:${process.pid}`;
  const store = new RedisRiskFeatureStore(redis, prefix);
  const rounds = 5_000;
  const timings = new Float64Array(rounds);
  const now = Date.now();
  for (let i = 0; i < rounds; i++) {
    const started = process.hrtime.bigint();
    await recordOrderAttempt(store, { customer: `c:bench-${i % 500}`, source: 's:WEB' }, `bench-${i}`, now + i);
    timings[i] = Number(process.hrtime.bigint() - started) / 1_000;
  }
  const keys = [
    ...new Set(
      Array.from({ length: 500 }, (_, i) => store.keysFor(`c:bench-${i}`)).flatMap((k) => [k.arrivals, k.counters]),
    ),
  ];
  await redis.del(...keys, store.keysFor('s:WEB').arrivals, store.keysFor('s:WEB').counters);
  redis.disconnect();
  timings.sort();
  return `feature store round trip (customer + source, local Redis), ${rounds} sequential: p50 ${percentile(timings, 0.5)} µs, p99 ${percentile(timings, 0.99)} µs`;
}

/**
 * What one store call costs this process (CPU per call) and Redis (the script's time per call, from
 * INFO commandstats), 8 callers at once on an auto-pipelined connection as in the server: the
 * count-and-read of an attempt (`record`), and an update nobody reads back (`add`: a decision counted
 * after the answer). Resets Redis's command statistics.
 */
async function benchStoreCalls(url: string): Promise<string[]> {
  const redis = new Redis(url, { enableAutoPipelining: true });
  const prefix = `og-bench:risk-calls:${process.pid}`;
  const store = new RedisRiskFeatureStore(redis, prefix);
  const calls = 20_000;
  const kinds = {
    'count-and-read (record)': (i: number) =>
      store.record(`c:bench-${i % 500}`, { arrivalId: `a-${i}`, counts: { requests: 1, orders: 1 } }, Date.now()),
    'update (add)': (i: number) => store.add(`c:bench-${i % 500}`, { counts: { holds: 1 } }, Date.now()),
  };
  const lines: string[] = [];
  try {
    // The first round of each warms the JIT and the script cache up; the second is reported.
    for (const round of [0, 1]) {
      for (const [kind, call] of Object.entries(kinds)) {
        await redis.config('RESETSTAT');
        const cpu = process.cpuUsage();
        let next = 0;
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            while (next < calls) await call(next++);
          }),
        );
        const used = process.cpuUsage(cpu);
        const stats = (await redis.info('commandstats')).split('\n').find((line) => line.startsWith('cmdstat_evalsha'));
        const redisMicros = /usec_per_call=([\d.]+)/.exec(stats ?? '')?.[1] ?? '?';
        if (round === 1)
          lines.push(
            `store call ${kind}, ${calls} by 8 callers: this process ${((used.user + used.system) / calls).toFixed(1)} µs CPU per call, Redis ${redisMicros} µs per call`,
          );
      }
    }
  } finally {
    redis.disconnect();
    await deleteRedisPrefix(prefix, url);
  }
  return lines;
}

function percentile(sorted: Float64Array, q: number): string {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
}

/** Varied, plausible counters and candidates (deterministic). */
function inputOf(i: number): RiskFeatureInput {
  const counts = (scale: number): RiskCounts =>
    Object.fromEntries(RISK_COUNTER_NAMES.map((name, j) => [name, ((i * (j + 3)) % 17) * scale])) as RiskCounts;
  const subject = (scale: number): SubjectCounters => ({
    arrivals: { last1m: i % 3, last10m: i % 7, last60m: i % 13 },
    recent: counts(scale),
    history: counts(scale * 10),
  });
  return {
    customer: subject(0.5),
    source: subject(40),
    candidate: {
      similarity: i % 4 === 0 ? 1 : 0.6 + (i % 40) / 100,
      equivalent: i % 4 === 0,
      msSinceCandidate: (i * 7_919) % 3_600_000,
    },
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`risk:bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
