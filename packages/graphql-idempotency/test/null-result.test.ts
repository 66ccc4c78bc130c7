import { randomUUID } from 'node:crypto';
import { createSchema, createYoga } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { Redis as RedisClient } from 'ioredis';
import { IDEMPOTENT_DIRECTIVE_SDL, IdempotencyGuard, RedisClaimStore, fingerprintOf, replayPolicy } from '../src';
import type { IdempotencyEvent } from '../src';
import { useIdempotency } from '../src/envelop';
import { connectRedis, dropPrefix, uniquePrefix } from './support';

// A mutation that answers nothing (a resolver that returns undefined or null: send an email, archive
// something) is remembered like any other: its null is the answer its repeats get. Each repeat ran
// the resolver again (the email went out once per retry), since a null answer was taken for a
// resource that no longer exists.
const typeDefs = `
  ${IDEMPOTENT_DIRECTIVE_SDL}
  type Query { ok: Boolean }
  type Mutation {
    sendInvite(email: String!, idempotencyKey: String): Boolean @idempotent
    archiveTicket(id: ID!, idempotencyKey: String): String @idempotent
  }
`;

let redis: Redis;
const prefix = uniquePrefix('null-result');
beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(() => dropPrefix(redis, prefix));

function server() {
  const events: IdempotencyEvent[] = [];
  const runs = { sendInvite: 0, archiveTicket: 0 };
  const guard = new IdempotencyGuard(new RedisClaimStore(redis, prefix), {
    leaseMs: 30_000,
    retentionMs: 60_000,
    retryAfterMs: 200,
    storeTimeoutMs: 1_000,
    observers: [{ onDecision: (event: IdempotencyEvent) => events.push(event) }],
  });
  const yoga = createYoga({
    schema: createSchema({
      typeDefs,
      resolvers: {
        Mutation: {
          // Returns nothing: undefined.
          sendInvite: async () => {
            runs.sendInvite += 1;
          },
          archiveTicket: async () => ((runs.archiveTicket += 1), null),
        },
      },
    }),
    plugins: [useIdempotency({ guard })],
    logging: false,
  });
  const send = async (query: string, variables: object) => {
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as unknown };
  };
  return { send, runs, events };
}

describe('a guarded mutation whose resolver returns nothing', () => {
  it.each([
    ['undefined', 'sendInvite', 'sendInvite(email: "a@example.com", idempotencyKey: $key)'],
    ['null', 'archiveTicket', 'archiveTicket(id: "T-1", idempotencyKey: $key)'],
  ] as const)(
    '(%s) runs once per key: its repeats answer null, replayed, without running',
    async (_kind, field, call) => {
      const { send, runs, events } = server();
      const query = `mutation ($key: String) { ${call} }`;
      const variables = { key: randomUUID() };
      const answers = [await send(query, variables), await send(query, variables), await send(query, variables)];
      expect(answers.map((answer) => answer.body)).toEqual(answers.map(() => ({ data: { [field]: null } })));
      expect(answers.map((answer) => answer.replayed)).toEqual([null, 'true', 'true']);
      expect(runs[field]).toBe(1);
      expect(events.map((event) => [event.outcome, event.claim, event.layer])).toEqual([
        ['created', 'claimed', undefined],
        ['duplicate', 'held', 'CACHE'],
        ['duplicate', 'held', 'CACHE'],
      ]);
    },
  );
});

describe('a falsy answer your database committed, while the store is down', () => {
  it.each([false, 0, '', null])(
    '(%p) answers the repeat with it from findCommitted, without running',
    async (answer) => {
      // Never connects: the guard skips the store at once and asks findCommitted.
      const down = new RedisClient('redis://127.0.0.1:1', { lazyConnect: true });
      const guard = new IdempotencyGuard(new RedisClaimStore(down, prefix), {
        leaseMs: 30_000,
        retentionMs: 60_000,
        retryAfterMs: 200,
        storeTimeoutMs: 1_000,
        onStoreFailure: () => undefined,
      });
      const key = randomUUID();
      const policy = replayPolicy('toggle', {
        scope: () => 'u1',
        findCommitted: async () => ({
          resourceId: `toggle:${key}`,
          fingerprint: fingerprintOf({ on: false }),
          firstSeenAt: new Date(),
          replay: answer,
        }),
      });
      let runs = 0;
      const result = await guard.run(policy, { on: false, idempotencyKey: key }, {}, async () => ((runs += 1), answer));
      expect({ result, runs }).toEqual({ result: answer, runs: 0 });
      down.disconnect();
    },
  );
});
