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

/** Sends, never throws: a failure's message becomes its outcome, so the report says what went wrong. */
function answerOf(send: Sender, sequence: number): Promise<Answer> {
  return send(sequence).catch((error: unknown): Answer => ({
    outcome: `error: ${String(error).slice(0, 80)}`,
    ok: false,
  }));
}

async function timed(send: Sender, sequence: number, recorder: LatencyRecorder): Promise<void> {
  const startedAt = performance.now();
  const answer = await answerOf(send, sequence);
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
export async function runRounds(
  senders: readonly Sender[],
  durationMs: number,
): Promise<PointResult & { rounds: number }> {
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
 * schedule (no coordinated omission). A server slower than the rate builds a queue: requests
 * still unanswered `drainMs` after the last one was due are recorded as `unanswered` failures
 * with the time they had waited so far (a lower bound), so the run ends in bounded time.
 */
export async function runOpenLoop(
  send: Sender,
  ratePerSec: number,
  durationMs: number,
  drainMs: number,
): Promise<PointResult> {
  const recorder = new LatencyRecorder();
  const total = Math.max(1, Math.round((ratePerSec * durationMs) / 1000));
  const intervalMs = 1000 / ratePerSec;
  const pending = new Set<number>();
  const inFlight: Promise<void>[] = [];
  const startedAt = performance.now();
  const dueAt = (sequence: number) => startedAt + sequence * intervalMs;
  const sendDue = async (sequence: number) => {
    pending.add(sequence);
    const answer = await answerOf(send, sequence);
    if (pending.delete(sequence)) recorder.record(performance.now() - dueAt(sequence), answer.outcome, answer.ok);
  };
  for (let sequence = 0; sequence < total;) {
    const due = Math.min(total, Math.floor((performance.now() - startedAt) / intervalMs) + 1);
    for (; sequence < due; sequence += 1) inFlight.push(sendDue(sequence));
    if (sequence < total) await sleep(SCHEDULER_TICK_MS);
  }
  const drained = Promise.all(inFlight).then(() => true);
  if (!(await Promise.race([drained, sleep(drainMs).then(() => false)]))) {
    for (const sequence of pending) recorder.record(performance.now() - dueAt(sequence), 'unanswered', false);
    pending.clear();
  }
  return recorder.result(performance.now() - startedAt);
}
