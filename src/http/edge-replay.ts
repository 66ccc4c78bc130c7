import type { IncomingMessage } from 'node:http';
import type { HTTPGraphQLResponse } from '@apollo/server';
import type { ResponseReplayPlugin, StoredReplay } from 'graphql-idempotency/apollo';
import { LRUCache } from 'lru-cache';
import type { GraphQLContext } from '../graphql/context';
import type { RequestFacts } from './request-logging';

/** What the edge needs: the response replay it sends again for, and whose answer it depends on. */
export interface EdgeReplayOptions {
  /** Apollo's response replay (graphql-idempotency/apollo): it confirms and records each repeat. */
  responses: Pick<ResponseReplayPlugin<GraphQLContext>, 'answer'>;
  /** The caller a stored response belongs to: the replay's own `identity`. */
  identity(context: GraphQLContext): string | undefined;
  /** Answers kept at most, least recently used dropped first. */
  maxEntries: number;
  /** Bytes kept at most, bodies and answers (least recently used dropped first). Default 8 MiB. */
  maxBytes?: number;
  /** How long an answer is kept (the replay's own `ttlMs`: it never answers for longer anyway). */
  ttlMs: number;
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** A createOrder of a hundred items is about 5 KB: longer bodies are not worth a key (nor hashing one). */
const MAX_BODY_LENGTH = 16 * 1024;

/** An answer Apollo sent for a replayed repeat, byte for byte, and the replay it was built from. */
export interface SentReplay {
  replay: StoredReplay;
  identity: string;
  operationName: string | undefined;
  headers: readonly (readonly [string, string])[];
  body: string;
}

/**
 * The response replay, one step earlier. A repeat sent again as it was (a client's retry) is
 * answered by Apollo's response replay without executing its selection set, but still after
 * Apollo's whole request pipeline: headers, body, parse and validation caches, the plugins'
 * hooks, the result's serialisation. Here the bytes Apollo answered such a repeat with are kept,
 * by the request's exact body and the headers its answer depends on, and sent again for the same
 * request before Apollo runs, once the replay has confirmed and recorded the repeat as it does
 * itself (the key's completed claim unchanged, the observers told: metrics, audit). The caller is
 * still authenticated (its token checked again, `identity` the same); anything else (another
 * caller, a stored response gone or rebuilt, a claim changed) runs the request through Apollo.
 */
export class EdgeReplay {
  private readonly sent: LRUCache<string, SentReplay>;

  constructor(private readonly options: EdgeReplayOptions) {
    this.sent = new LRUCache({
      max: options.maxEntries,
      ttl: options.ttlMs,
      // A caller may pad a request up to the body limit: what is kept is bounded in bytes too.
      maxSize: options.maxBytes ?? DEFAULT_MAX_BYTES,
      sizeCalculation: (answer, key) => key.length + answer.body.length,
    });
  }

  /**
   * Where the request's answer is kept: its body and every header its answer depends on (the
   * caller's token, the Idempotency-Key header Apollo checks against the key, Accept for the
   * content type); undefined for an anonymous request, never replayed.
   */
  keyOf(request: IncomingMessage, body: string): string | undefined {
    const { authorization, accept } = request.headers;
    if (authorization === undefined || body.length > MAX_BODY_LENGTH) return undefined;
    const key = request.headers['idempotency-key'] ?? '';
    return `${authorization}\u0000${typeof key === 'string' ? key : key.join(', ')}\u0000${accept ?? ''}\u0000${body}`;
  }

  /** Whether an answer is kept for `key` (a request worth building a context for). */
  has(key: string): boolean {
    return this.sent.has(key);
  }

  /**
   * The answer kept for `key` once the replay confirmed and recorded the repeat for this caller;
   * undefined (nothing recorded) when there is none, the caller is another, or the replay would
   * not send that very response again.
   */
  async answer(key: string, context: GraphQLContext): Promise<SentReplay | undefined> {
    const sent = this.sent.get(key);
    if (!sent) return undefined;
    const data =
      this.options.identity(context) === sent.identity
        ? await this.options.responses.answer(sent.replay.key, context, sent.replay.data)
        : undefined;
    if (data === sent.replay.data) return sent;
    this.sent.delete(key);
    return undefined;
  }

  /** After Apollo answered the request at `key`: keeps its answer when it was a stored response sent again. */
  remember(key: string, facts: RequestFacts, context: GraphQLContext | undefined, answer: HTTPGraphQLResponse): void {
    const identity = context && this.options.identity(context);
    if (!facts.replay || identity === undefined || answer.body.kind !== 'complete') return;
    if ((answer.status ?? 200) !== 200) return;
    this.sent.set(key, {
      replay: facts.replay,
      identity,
      operationName: facts.operationName,
      headers: [...answer.headers],
      body: answer.body.string,
    });
  }
}
