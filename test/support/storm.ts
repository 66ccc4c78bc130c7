import { randomUUID } from 'node:crypto';
import { postGraphQL } from './graphql-client';
import { CREATE_ORDER } from './operations';
import { orderIdOf, outcomeOf, tally } from './order-client';

/** One customer intent: the same key and payload, sent by many clients. */
export interface Intent {
  customerId: string;
  token: string;
  key: string;
  input: { currency: string; items: { sku: string; quantity: number }[] };
}

/** What a client finally got for its intent, after its retries. */
export interface FinalAnswer {
  intent: Intent;
  /** `OrderCreated`, `DuplicateDetected/CACHE`, … or `unanswered` when the retry budget ran out. */
  outcome: string;
  orderId?: string;
  attempts: number;
  elapsedMs: number;
}

export interface StormReport {
  answers: FinalAnswer[];
  requests: number;
  /** Final outcomes by label. */
  outcomes: Record<string, number>;
  /** RequestInProgress answers seen along the way (each was retried). */
  inProgressAnswers: number;
  /** Network errors, HTTP 5xx and GraphQL errors seen along the way (each was retried), by reason. */
  failedAttempts: Record<string, number>;
  /** Milliseconds from a client's first send to its final answer, for the slowest client. */
  slowestMs: number;
  /** One line for the test log. */
  summary: string;
}

export interface StormOptions {
  /** Base URLs of the server instances; client i sends attempt n to `targets()[(i + n) % length]`. */
  targets: () => readonly string[];
  intents: readonly Intent[];
  /** Clients per intent, all started at once. */
  clientsPerIntent: number;
  /** Clients start evenly spread over this many milliseconds, so faults land mid-storm. Default 0. */
  spreadMs?: number;
  /** A client gives up (answer `unanswered`) after this long (ms). Default 60 000. */
  budgetMs?: number;
  /** Called after each final answer, with the number of final answers so far (to inject faults). */
  onAnswer?: (answered: number) => void;
  /** Called after every attempt, final or not (to time an outage from the clients' side). */
  onAttempt?: (attempt: AttemptRecord) => void;
  /**
   * After an answer with `Retry-After` (a 503 during a database outage), wait that long before the
   * next attempt, as the SDK does; otherwise retry after 50 ms. Default false.
   */
  honourRetryAfter?: boolean;
}

/** One attempt of one client, as it saw it. */
export interface AttemptRecord {
  intent: Intent;
  /** `Date.now()` when the answer (or the error) arrived. */
  at: number;
  kind: Attempt['kind'];
  /** HTTP status, when an HTTP answer came. */
  status?: number;
  /** The `Retry-After` header, when the answer had one. */
  retryAfter?: string;
  /** The outcome of an answer, or the reason of a failed attempt. */
  label: string;
  orderId?: string;
}

/** Whether the server answered with a contract outcome (vs. an error worth retrying). */
type Attempt = (
  | { kind: 'answer'; outcome: string; orderId?: string }
  | { kind: 'in-progress'; retryAfterMs: number }
  | { kind: 'failed'; reason: string }
) & { status?: number; retryAfter?: string };

type CreateOrderAnswer = {
  __typename: string;
  detectedBy?: string;
  retryAfterMs?: number;
  order?: { id: string };
  originalOrder?: { id: string };
};

/** Pause between a failed attempt and the next one (ms): long enough not to spin on a dead port. */
const FAILED_ATTEMPT_PAUSE_MS = 50;

/**
 * Fires `clientsPerIntent` concurrent clients per intent across the instances, each retrying as a
 * well-behaved client does: on a network error, 5xx or GraphQL error at once on the next instance,
 * on RequestInProgress after its `retryAfterMs`, always with the same key.
 */
export async function runStorm(label: string, options: StormOptions): Promise<StormReport> {
  const budgetMs = options.budgetMs ?? 60_000;
  let inProgressAnswers = 0;
  const failedAttempts: Record<string, number> = {};
  let answered = 0;
  const clients = options.intents.flatMap((intent) => Array.from({ length: options.clientsPerIntent }, () => intent));
  // Interleave intents so every instance sees every key from the start.
  const order = clients
    .map((intent, index) => ({ intent, index }))
    .sort((a, b) => (a.index % options.clientsPerIntent) - (b.index % options.clientsPerIntent));

  const answers = await Promise.all(
    order.map(async ({ intent }, client): Promise<FinalAnswer> => {
      await sleep(((options.spreadMs ?? 0) * client) / order.length);
      const startedAt = performance.now();
      for (let attempt = 0; ; attempt++) {
        const targets = options.targets();
        // Every instance down: an attempt with nowhere to go (counted, then the usual pause).
        const result: Attempt =
          targets.length === 0
            ? { kind: 'failed', reason: 'no instance running' }
            : await send(targets[(client + attempt) % targets.length], intent);
        const elapsedMs = performance.now() - startedAt;
        options.onAttempt?.(attemptRecord(intent, result));
        if (result.kind === 'answer') {
          options.onAnswer?.(++answered);
          return { intent, outcome: result.outcome, orderId: result.orderId, attempts: attempt + 1, elapsedMs };
        }
        if (elapsedMs > budgetMs) return { intent, outcome: 'unanswered', attempts: attempt + 1, elapsedMs };
        if (result.kind === 'in-progress') inProgressAnswers++;
        else failedAttempts[result.reason] = (failedAttempts[result.reason] ?? 0) + 1;
        await sleep(pauseAfter(result, options.honourRetryAfter ?? false));
      }
    }),
  );

  const outcomes = tally(answers, (answer) => answer.outcome);
  const slowestMs = Math.round(Math.max(...answers.map((answer) => answer.elapsedMs)));
  const requests = answers.length;
  const summary =
    `${label}: ${requests} requests (${options.intents.length} intents × ${options.clientsPerIntent}) over ` +
    `${options.targets().length} instances → ${JSON.stringify(outcomes)}; RequestInProgress answers ${inProgressAnswers}, ` +
    `failed attempts retried ${JSON.stringify(failedAttempts)}, slowest answer ${slowestMs} ms`;
  return { answers, requests, outcomes, inProgressAnswers, failedAttempts, slowestMs, summary };
}

function pauseAfter(result: Attempt, honourRetryAfter: boolean): number {
  if (result.kind === 'in-progress') return result.retryAfterMs;
  const hinted = Number(result.retryAfter) * 1_000;
  return honourRetryAfter && hinted > 0 ? hinted : FAILED_ATTEMPT_PAUSE_MS;
}

function attemptRecord(intent: Intent, result: Attempt): AttemptRecord {
  const label =
    result.kind === 'answer' ? result.outcome : result.kind === 'failed' ? result.reason : 'RequestInProgress';
  const orderId = result.kind === 'answer' ? result.orderId : undefined;
  return {
    intent,
    at: Date.now(),
    kind: result.kind,
    status: result.status,
    retryAfter: result.retryAfter,
    label,
    orderId,
  };
}

async function send(baseUrl: string, intent: Intent): Promise<Attempt> {
  try {
    const response = await postGraphQL<{ createOrder: CreateOrderAnswer }>(
      baseUrl,
      CREATE_ORDER,
      { key: intent.key, input: intent.input },
      { token: intent.token },
    );
    const answer = response.body.data?.createOrder;
    const error = response.body.errors?.[0];
    const retryAfter = response.headers['retry-after'];
    const http = { status: response.status, ...(retryAfter === undefined ? {} : { retryAfter }) };
    if (response.status >= 500 || error || !answer) {
      const code = error?.extensions?.['code'];
      const reason = `HTTP ${response.status} ${typeof code === 'string' ? code : ''}`.trim();
      return { kind: 'failed', reason, ...http };
    }
    if (answer.__typename === 'RequestInProgress')
      return { kind: 'in-progress', retryAfterMs: answer.retryAfterMs ?? 100, ...http };
    return { kind: 'answer', outcome: outcomeOf(answer), orderId: orderIdOf(answer), ...http };
  } catch (error) {
    // Connection refused or reset (a dead instance), or a body that is not JSON: retry.
    return { kind: 'failed', reason: (error as NodeJS.ErrnoException).code ?? (error as Error).name };
  }
}

/**
 * `count` distinct intents with fresh keys, one customer each, all ordering the same `items`.
 * One customer per intent: the same cart from one customer under several keys within minutes is
 * what the live semantic check holds as PossibleDuplicate (tested in test/dedupe), and a customer's
 * new keys count against ORDER_RATE_LIMIT (test/rate-limit); neither is what these storms test.
 */
export function makeIntents(
  count: number,
  items: Intent['input']['items'],
  tokenFor: (customerId: string) => Promise<string>,
): Promise<Intent[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const customerId = `storm-customer-${index}`;
      return {
        customerId,
        token: await tokenFor(customerId),
        key: `storm-${randomUUID()}`,
        input: { currency: 'EUR', items },
      };
    }),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
