import { randomUUID } from 'node:crypto';
import { envelop, useEngine, useSchema } from '@envelop/core';
import { buildSchema, execute, parse, specifiedRules, subscribe, validate } from 'graphql';
import type { DocumentNode, ExecutionResult, GraphQLObjectType } from 'graphql';
import type { Redis } from 'ioredis';
import { IDEMPOTENT_DIRECTIVE_SDL, IdempotencyGuard, RedisClaimStore, TrackedNearCacheClaimStore } from '../src';
import type { ClaimStore, IdempotencyEvent, StoredReplay } from '../src';
import { useIdempotency, useResponseReplay } from '../src/envelop';
import { connectRedis, dropPrefix, uniquePrefix } from './support';

// The response-level replay on an envelop server (useResponseReplay; GraphQL Yoga is one), against
// a real Redis: with the plain Redis store (a repeat is confirmed with one read) and the tracked
// near cache (confirmed from memory, at once). What it saves is the selection set's execution:
// `Ticket.title` counts it. Each call parses its document anew (a document is known by its text).
// Yoga itself, and the Idempotent-Replayed header it gets, are run by packed.test.ts and the
// examples of docs/graphql-idempotency.md (Yoga's types are kept out of this TypeScript program:
// they redeclare GraphQL error extensions the Apollo Server ones of the app conflict with).

const CREATE =
  'mutation ($title: String!, $key: String!) { createTicket(title: $title, idempotencyKey: $key) { id title } }';

let redis: Redis;
const prefix = uniquePrefix('envelop-replay');
const closers: (() => void)[] = [];
beforeAll(async () => {
  redis = await connectRedis();
});
afterEach(() => {
  for (const close of closers.splice(0)) close();
});
afterAll(() => dropPrefix(redis, prefix));

const stores: Record<string, () => Promise<ClaimStore>> = {
  RedisClaimStore: async () => new RedisClaimStore(redis, prefix),
  TrackedNearCacheClaimStore: async () => {
    const reader = redis.duplicate();
    const subscriber = redis.duplicate({ autoResubscribe: false });
    const store = new TrackedNearCacheClaimStore(new RedisClaimStore(redis, prefix), { reader, subscriber });
    closers.push(() => store.close());
    while (!store.live) await new Promise((resolve) => setTimeout(resolve, 5));
    return store;
  },
};

/** An envelop server whose `createTicket` is guarded and replayed; counts title executions and decisions. */
async function server(makeStore: () => Promise<ClaimStore>) {
  const decisions: IdempotencyEvent[] = [];
  const replays: StoredReplay[] = [];
  const counts = { titles: 0 };
  const guard = new IdempotencyGuard(await makeStore(), {
    leaseMs: 10_000,
    retentionMs: 60_000,
    retryAfterMs: 50,
    storeTimeoutMs: 1_000,
    observers: [{ onDecision: (event) => decisions.push(event) }],
  });
  const schema = buildSchema(`${IDEMPOTENT_DIRECTIVE_SDL}
    type Ticket { id: ID! title: String! }
    type Query { ok: Boolean! }
    type Mutation { createTicket(title: String!, idempotencyKey: String!): Ticket! @idempotent }`);
  let next = 0;
  schema.getMutationType()!.getFields()['createTicket'].resolve = (_, args: { title: string }) => ({
    id: `t${(next += 1)}`,
    ...args,
  });
  (schema.getType('Ticket') as GraphQLObjectType).getFields()['title'].resolve = (ticket: { title: string }) => {
    counts.titles += 1;
    return ticket.title;
  };
  type Context = { user?: string };
  const replay = useResponseReplay<Context>({
    guard,
    operations: ['createTicket'],
    identity: (context) => context.user,
    ttlMs: 60_000,
    onReplay: (_context, stored) => replays.push(stored),
  });
  const getEnveloped = envelop({
    plugins: [
      useEngine({ parse, validate, execute, subscribe, specifiedRules }),
      useSchema(schema),
      useIdempotency({ guard, scope: (context: Context) => context.user ?? '' }),
      replay,
    ],
  });
  /** Sends as `user` (default ada); null: without a caller. */
  const send = async (variables: Record<string, unknown>, user: string | null = 'ada') => {
    const run = getEnveloped(user === null ? {} : { user });
    // envelop types its engine loosely (any); the engine here is graphql-js's.
    const document = run.parse(CREATE) as DocumentNode;
    const contextValue: unknown = await run.contextFactory();
    const result: unknown = await run.execute({ schema, document, contextValue, variableValues: variables });
    return result as ExecutionResult<{ createTicket: { id: string; title: string } }>;
  };
  return { send, counts, decisions, replays, replay };
}

describe.each(Object.keys(stores))('useResponseReplay with %s', (storeName) => {
  const makeStore = stores[storeName];

  it('answers the same repeat again without executing its selection set, and still records it', async () => {
    const { send, counts, decisions, replays } = await server(makeStore);
    const variables = { title: 'lamp', key: `key-${randomUUID()}` };
    const first = await send(variables);
    const repeats = [await send(variables), await send(variables), await send(variables)];
    expect(repeats.map((answer) => answer.data)).toEqual([first.data, first.data, first.data]);
    // The first and the first repeat execute `title`; the repeats after it are the stored response.
    expect(counts.titles).toBe(2);
    // onReplay is told of each stored response sent: one place, the very data sent.
    expect(replays).toHaveLength(2);
    expect(replays[0].key).toBe(replays[1].key);
    expect(replays[0].data).toEqual(first.data);
    expect(replays[1].data).toBe(replays[0].data);
    expect(decisions.map((event) => `${event.outcome}/${event.layer ?? ''}`)).toEqual([
      'created/',
      'duplicate/CACHE',
      'duplicate/CACHE',
      'duplicate/CACHE',
    ]);
  });

  it('runs a request whose variables nest too deep to serialise as usual, storing nothing', async () => {
    const { send, counts, decisions } = await server(makeStore);
    // 100 000 levels, built without recursion: JSON.stringify overflows the stack on them.
    let deep: unknown = [];
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    const variables = { title: 'lamp', key: `key-${randomUUID()}`, unused: deep };
    const answers = [await send(variables), await send(variables)];
    expect(answers.map((answer) => [answer.errors, answer.data?.createTicket.title])).toEqual([
      [undefined, 'lamp'],
      [undefined, 'lamp'],
    ]);
    expect(counts.titles).toBe(2);
    expect(decisions.map((event) => `${event.outcome}/${event.layer ?? ''}`)).toEqual(['created/', 'duplicate/CACHE']);
  });

  it('answers a stored response through `answer` only while it is the one expected, recording nothing otherwise', async () => {
    const { send, decisions, replays, replay } = await server(makeStore);
    const variables = { title: 'lamp', key: `key-${randomUUID()}` };
    for (let sent = 0; sent < 3; sent += 1) await send(variables);
    const [stored] = replays;
    const recorded = decisions.length;
    const context = { user: 'ada' };

    expect(await replay.answer(stored.key, context, { createTicket: { id: 'other' } })).toBeUndefined();
    expect(decisions).toHaveLength(recorded);
    expect(await replay.answer(stored.key, context, stored.data)).toBe(stored.data);
    expect(decisions).toHaveLength(recorded + 1);
    expect(decisions[recorded]).toMatchObject({ outcome: 'duplicate', layer: 'CACHE', key: variables.key });
  });

  it('runs the request again once the key’s claim is gone or changed', async () => {
    const { send, counts } = await server(makeStore);
    const variables = { title: 'lamp', key: `key-${randomUUID()}` };
    const first = await send(variables);
    await send(variables);
    expect(counts.titles).toBe(2);
    // The key expires (or another process forgets it): the stored response's claim is gone.
    const keys = await redis.keys(`${prefix}:createTicket:*${variables.key}}`);
    expect(keys).toHaveLength(1);
    await redis.del(keys[0]);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the invalidation's way to the tracked cache
    const after = await send(variables);
    expect(counts.titles).toBe(3);
    expect(after.data?.createTicket.id).not.toBe(first.data?.createTicket.id);
  });

  it('replays nothing for a caller without identity, for another caller, or for other variables', async () => {
    const { send, counts } = await server(makeStore);
    const key = `key-${randomUUID()}`;
    await send({ title: 'lamp', key }, null);
    for (let round = 0; round < 3; round += 1) await send({ title: 'lamp', key }, null);
    expect(counts.titles).toBe(4);
    // Another caller's key is its own (the guard's scope), and its answers are never shared.
    await send({ title: 'lamp', key }, 'grace');
    await send({ title: 'lamp', key }, 'grace');
    await send({ title: 'lamp', key }, 'grace');
    expect(counts.titles).toBe(6);
    // The same key with another payload is a reused key: an error, never stored, never replayed.
    const reused = [await send({ title: 'desk', key }, 'grace'), await send({ title: 'desk', key }, 'grace')];
    expect(reused.map((answer) => answer.errors?.[0]?.extensions?.code)).toEqual([
      'IDEMPOTENCY_KEY_PARAMETER_MISMATCH',
      'IDEMPOTENCY_KEY_PARAMETER_MISMATCH',
    ]);
  });
});
