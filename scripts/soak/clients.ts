import { randomUUID } from 'node:crypto';
import { Agent, fetch } from 'undici';
import { soakItems } from './deployment';

const CREATE_ORDER = `mutation CreateOrder($key: String!, $input: CreateOrderInput!) {
  createOrder(idempotencyKey: $key, input: $input) {
    __typename
    ... on OrderCreated { order { id } }
    ... on DuplicateDetected { detectedBy originalOrder { id } }
    ... on RequestInProgress { retryAfterMs }
  }
}`;

/**
 * A client waits this long for one answer before giving up on that attempt (ms): long enough that
 * a busy machine's slow answers are not turned into retries that pile up (an SIGSTOPped instance
 * costs a client this long).
 */
const ATTEMPT_TIMEOUT_MS = 15_000;
/**
 * Sockets per instance the whole soak's clients share. Unbounded (fetch's default), an overloaded
 * minute opens a socket per waiting request until the driver runs out of file descriptors
 * (EMFILE at 20,000 in a 100/s run); bounded, requests queue in the client, and the queue counts
 * in the latency the report gives, as a real client's would.
 */
const SOCKETS_PER_INSTANCE = 64;
const dispatcher = new Agent({ connections: SOCKETS_PER_INSTANCE, keepAliveTimeout: 10_000 });
/** Pause after a network error or an answer without a retry hint (ms). */
const RETRY_PAUSE_MS = 100;

export interface SoakIntent {
  index: number;
  customerId: string;
  key: string;
  token: string;
}

/** One request of one client. */
export interface AttemptRecord {
  startedAt: number;
  latencyMs: number;
  /** `OrderCreated`, `DuplicateDetected/CACHE`, `RequestInProgress`, `HTTP 503 SERVICE_UNAVAILABLE`, `timeout`, `ECONNREFUSED`, … */
  label: string;
  final: boolean;
}

/** What one client ended with. */
export interface ClientResult {
  intent: SoakIntent;
  orderId?: string;
  outcome: string;
  attempts: number;
}

export interface ClientOptions {
  targets: () => readonly string[];
  /** A client that has no final answer after this long is reported `unanswered` (ms). */
  budgetMs: number;
  random: () => number;
  onAttempt: (attempt: AttemptRecord) => void;
  /** Every final answer, as it comes (live invariant checks). */
  onFinal: (result: ClientResult) => void;
}

export function soakIntent(index: number, runId: string, token: string): SoakIntent {
  return { index, customerId: `soak-${runId}-${index}`, key: `soak-${randomUUID()}`, token };
}

/**
 * One client of an intent: sends createOrder with the intent's key to a random instance of either
 * region until a final answer (OrderCreated or DuplicateDetected), waiting `Retry-After` after a
 * 503 and `retryAfterMs` after RequestInProgress, as the SDK does.
 */
export async function runClient(intent: SoakIntent, options: ClientOptions): Promise<ClientResult> {
  const startedAt = Date.now();
  for (let attempt = 1; ; attempt++) {
    const targets = options.targets();
    const target = targets[Math.floor(options.random() * targets.length)];
    const sentAt = Date.now();
    const answer = target ? await send(target, intent) : { label: 'no instance running', pauseMs: RETRY_PAUSE_MS };
    const final = 'orderId' in answer;
    options.onAttempt({ startedAt: sentAt, latencyMs: Date.now() - sentAt, label: answer.label, final });
    if ('orderId' in answer) {
      const result = { intent, orderId: answer.orderId, outcome: answer.label, attempts: attempt };
      options.onFinal(result);
      return result;
    }
    if (Date.now() - startedAt > options.budgetMs) return { intent, outcome: 'unanswered', attempts: attempt };
    await new Promise((resolve) => setTimeout(resolve, answer.pauseMs));
  }
}

type Answer = { label: string; orderId: string } | { label: string; pauseMs: number };

interface CreateOrderBody {
  data?: {
    createOrder?: {
      __typename: string;
      detectedBy?: string;
      retryAfterMs?: number;
      order?: { id: string };
      originalOrder?: { id: string };
    };
  } | null;
  errors?: { extensions?: { code?: string } }[];
}

async function send(baseUrl: string, intent: SoakIntent): Promise<Answer> {
  try {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${intent.token}` },
      body: JSON.stringify({
        query: CREATE_ORDER,
        variables: { key: intent.key, input: { currency: 'EUR', items: soakItems(intent.index) } },
      }),
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      dispatcher,
    });
    const body = (await response.json()) as CreateOrderBody;
    const answer = body.data?.createOrder;
    const retryAfterMs = Number(response.headers.get('retry-after') ?? 0) * 1_000;
    if (!answer || body.errors?.length) {
      const code = body.errors?.[0]?.extensions?.code ?? '';
      return { label: `HTTP ${response.status} ${code}`.trim(), pauseMs: retryAfterMs || RETRY_PAUSE_MS };
    }
    if (answer.__typename === 'RequestInProgress')
      return { label: 'RequestInProgress', pauseMs: answer.retryAfterMs ?? RETRY_PAUSE_MS };
    const orderId = answer.order?.id ?? answer.originalOrder?.id;
    const label = answer.detectedBy ? `${answer.__typename}/${answer.detectedBy}` : answer.__typename;
    if (!orderId) return { label, pauseMs: RETRY_PAUSE_MS };
    return { label, orderId };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError') return { label: 'timeout', pauseMs: 0 };
    const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
    return { label: cause?.code ?? name, pauseMs: RETRY_PAUSE_MS };
  }
}
