import { setTimeout as sleep } from 'node:timers/promises';
import { LatencyRecorder } from './latency';
import type { PointResult } from './latency';

/** What one request answered: its `__typename` (or another short label) and whether it was expected. */
export interface Answer {
  outcome: string;
  ok: boolean;
}

/** Sends the `sequence`-th request of one worker (one connection) and resolves when it is answered. */
export type Sender = (sequence: number) => Promise<Answer>;

async function timed(send: Sender, sequence: number, recorder: LatencyRecorder, startedAt = performance.now()): Promise<void> {
  // A failure's message becomes its outcome, so the report says what went wrong.
  const answer = await send(sequence).catch((error: unknown): Answer => ({ outcome: `error: ${String(error).slice(0, 80)}`, ok: false }));
  recorder.record(performance.now() - startedAt, answer.outcome, answer.ok);
}

/**
 * Closed loop: each worker sends its next request as soon as the previous one is answered, for
 * `durationMs`. Concurrency is the number of workers; the server's speed sets the rate.
 */
export async function runClosedLoop(senders: readonly Sender[], durationMs: number): Promise<PointResult> {
  const recorder = new LatencyRecorder();
  const startedAt = performance.now();
  const endAt = startedAt + durationMs;
  await Promise.all(
    senders.map(async (send) => {
      for (let sequence = 0; performance.now() < endAt; sequence += 1) await timed(send, sequence, recorder);
    }),
  );
  return recorder.result(performance.now() - startedAt);
}

/**
 * Rounds: every worker sends request `round` at the same moment, the next round starts when all
 * are answered. With a key per round this is a storm: many connections racing for one new key.
 */
export async function runRounds(senders: readonly Sender[], durationMs: number): Promise<PointResult & { rounds: number }> {
  const recorder = new LatencyRecorder();
  const startedAt = performance.now();
  let round = 0;
  for (; performance.now() < startedAt + durationMs; round += 1) {
    await Promise.all(senders.map((send) => timed(send, round, recorder)));
  }
  return { ...recorder.result(performance.now() - startedAt), rounds: round };
}

/** Ticks of the open-loop scheduler (ms): requests due within a tick go out together. */
const SCHEDULER_TICK_MS = 1;

/**
 * Open loop: request i is due at `i / ratePerSec` seconds and is sent then, whether or not
 * earlier ones were answered. Latency runs from the due time, not from the actual send, so a
 * stall of the server (or of this process) shows up in the figures instead of delaying the
 * schedule (no coordinated omission).
 */
export async function runOpenLoop(send: Sender, ratePerSec: number, durationMs: number): Promise<PointResult> {
  const recorder = new LatencyRecorder();
  const total = Math.max(1, Math.round((ratePerSec * durationMs) / 1000));
  const intervalMs = 1000 / ratePerSec;
  const inFlight: Promise<void>[] = [];
  const startedAt = performance.now();
  for (let sequence = 0; sequence < total; ) {
    const due = Math.min(total, Math.floor((performance.now() - startedAt) / intervalMs) + 1);
    for (; sequence < due; sequence += 1) inFlight.push(timed(send, sequence, recorder, startedAt + sequence * intervalMs));
    if (sequence < total) await sleep(SCHEDULER_TICK_MS);
  }
  await Promise.all(inFlight);
  return recorder.result(performance.now() - startedAt);
}
