import { Client, Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type { Answer, Sender } from './drivers';

/** One GraphQL request as the load generator sends it: a prepared JSON body and a bearer token. */
export interface GraphQLRequest {
  body: string;
  token?: string;
}

/** Builds the `sequence`-th request of worker `worker`. */
export type RequestFor = (worker: number, sequence: number) => GraphQLRequest;

const TYPENAME = /"__typename":"(\w+)"/;

/**
 * POSTs to /graphql over `dispatcher` and reads the answer's first `__typename` (the operation's
 * result type): the outcome. A response with `errors`, or another status than 200, is a failure.
 */
async function post(dispatcher: Dispatcher, request: GraphQLRequest, expected: ReadonlySet<string>): Promise<Answer> {
  const response = await dispatcher.request({
    path: '/graphql',
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
    },
    body: request.body,
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) return { outcome: `http-${response.statusCode}`, ok: false };
  if (text.includes('"errors":')) return { outcome: 'graphql-error', ok: false };
  const outcome = TYPENAME.exec(text)?.[1] ?? 'unknown';
  return { outcome, ok: expected.has(outcome) };
}

/** HTTP load towards one server: a connection per closed-loop worker, or a shared pool for open loop. */
export class HttpLoad {
  private readonly dispatchers: Dispatcher[] = [];

  constructor(private readonly origin: string) {}

  /** One sender per worker, each on a keep-alive connection of its own (no pipelining). */
  workers(count: number, requestFor: RequestFor, expected: ReadonlySet<string>): Sender[] {
    return Array.from({ length: count }, (_, worker) => {
      const client = this.track(new Client(this.origin, { pipelining: 1 }));
      return (sequence: number) => post(client, requestFor(worker, sequence), expected);
    });
  }

  /** One sender for open loop, spreading requests over up to `connections` keep-alive connections. */
  pooled(connections: number, requestFor: RequestFor, expected: ReadonlySet<string>): Sender {
    const pool = this.track(new Pool(this.origin, { connections, pipelining: 1 }));
    return (sequence: number) => post(pool, requestFor(sequence % connections, sequence), expected);
  }

  /** Closes every connection opened so far, aborting requests still waiting (an overrun open loop). */
  async close(): Promise<void> {
    await Promise.all(this.dispatchers.splice(0).map((dispatcher) => dispatcher.destroy()));
  }

  private track<T extends Dispatcher>(dispatcher: T): T {
    this.dispatchers.push(dispatcher);
    return dispatcher;
  }
}
