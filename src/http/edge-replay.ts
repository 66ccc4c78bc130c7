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
  /** About how many bytes are kept at most (requests, answers, their data). Default 8 MiB. */
  maxBytes?: number;
  /** How long an answer is kept (the replay's own `ttlMs`: it never answers for longer anyway). */
  ttlMs: number;
  /** True once the server is shutting down: Apollo, stopping, answers every request from then on. */
  isShuttingDown(): boolean;
}

/** An answer Apollo sent for a replayed repeat, byte for byte, and the replay it was built from. */
export interface SentReplay {
  replay: StoredReplay;
  identity: string;
  operationName: string | undefined;
  headers: readonly (readonly [string, string])[];
  body: string;
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/**
 * The longest request kept (its body and headers): a createOrder of a hundred items is about 5 KB.
 * Below V8's 16,383 characters, past which a string is hashed by its length alone, so that
 * requests padded to one length cannot pile up in one slot of the map.
 */
const MAX_KEY_LENGTH = 12 * 1024;

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
      // A caller may pad its requests: what is kept is bounded in bytes too. Two bytes a
      // character (V8's strings at worst); the answer's data outlives the replay's own cache here,
      // and takes about what its body does.
      maxSize: options.maxBytes ?? DEFAULT_MAX_BYTES,
      sizeCalculation: (answer, key) =>
        2 *
        (key.length +
          2 * answer.body.length +
          answer.headers.reduce((sum, [name, value]) => sum + name.length + value.length, 0)),
    });
  }

  /**
   * Where the request's answer is kept: its body and every header its answer depends on (the
   * caller's token; the Idempotency-Key header, which Apollo checks when it is there, even empty;
   * Accept for the content type); undefined for an anonymous or a long request, never kept.
   */
  keyOf(request: IncomingMessage, body: string): string | undefined {
    const { authorization, accept } = request.headers;
    if (authorization === undefined || this.options.isShuttingDown()) return undefined;
    const given = request.headers['idempotency-key'];
    // Absent and empty differ: an empty header is a bad key to Apollo.
    const idempotencyKey = given === undefined ? '-' : `=${typeof given === 'string' ? given : given.join(', ')}`;
    const length = authorization.length + idempotencyKey.length + (accept?.length ?? 0) + body.length;
    if (length > MAX_KEY_LENGTH) return undefined;
    return `${authorization}\u0000${idempotencyKey}\u0000${accept ?? ''}\u0000${body}`;
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

  /**
   * After Apollo answered the request at `key` (its body `body`): keeps its answer when it was a
   * stored response sent again, for a request that carries its document (not a persisted query's
   * hash alone, which Apollo answers only while its cache holds the document).
   */
  remember(
    key: string,
    body: unknown,
    facts: RequestFacts,
    context: GraphQLContext | undefined,
    answer: HTTPGraphQLResponse,
  ): void {
    const identity = context && this.options.identity(context);
    if (!facts.replay || identity === undefined || answer.body.kind !== 'complete') return;
    if ((answer.status ?? 200) !== 200 || typeof (body as { query?: unknown }).query !== 'string') return;
    this.sent.set(key, {
      replay: facts.replay,
      identity,
      operationName: facts.operationName,
      headers: [...answer.headers],
      body: answer.body.string,
    });
  }
}
