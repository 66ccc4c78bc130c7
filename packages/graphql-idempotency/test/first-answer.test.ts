import { execute, parse } from 'graphql';
import { createSchema } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import {
  IDEMPOTENT_DIRECTIVE_SDL,
  IdempotencyGuard,
  MemoryClaimStore,
  NearCacheClaimStore,
  RedisClaimStore,
  guardSchema,
} from '../src';
import type { ClaimStore } from '../src';
import { connectRedis, dropPrefix, uniquePrefix } from './support';

// A repeat gets the first answer. A resolver often returns the very object its application keeps
// and changes later (the README's example returns the ticket it keeps in a Map). Redis keeps the
// answer as text, a snapshot; the memory store and the near cache kept the object itself, so their
// repeats answered its state of now (a ticket closed since), not the first answer.
const typeDefs = `
  ${IDEMPOTENT_DIRECTIVE_SDL}
  type Ticket { id: ID! status: String! }
  type Query { ok: Boolean }
  type Mutation {
    createTicket(idempotencyKey: String): Ticket! @idempotent
    closeTicket(id: ID!): Ticket
  }
`;

let redis: Redis;
const prefix = uniquePrefix('first-answer');
beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(() => dropPrefix(redis, prefix));

describe.each([
  ['MemoryClaimStore', () => new MemoryClaimStore()],
  [
    'NearCacheClaimStore',
    () => new NearCacheClaimStore(new RedisClaimStore(redis, `${prefix}:near`), { ttlMs: 60_000 }),
  ],
  ['RedisClaimStore', () => new RedisClaimStore(redis, `${prefix}:redis`)],
])('a repeat answered by %s', (_name, newStore: () => ClaimStore) => {
  it('is the first answer, though the object the resolver returned changed since', async () => {
    const tickets = new Map<string, { id: string; status: string }>();
    const guard = new IdempotencyGuard(newStore(), {
      leaseMs: 30_000,
      retentionMs: 60_000,
      retryAfterMs: 200,
      storeTimeoutMs: 1_000,
    });
    const schema = guardSchema(
      createSchema({
        typeDefs,
        resolvers: {
          Mutation: {
            createTicket: () => {
              const ticket = { id: `T-${tickets.size + 1}`, status: 'open' };
              tickets.set(ticket.id, ticket);
              return ticket;
            },
            closeTicket: (_: unknown, { id }: { id: string }) => Object.assign(tickets.get(id)!, { status: 'closed' }),
          },
        },
      }),
      { guard },
    );
    const run = (source: string) => execute({ schema, document: parse(source), contextValue: {} });
    const create = 'mutation { createTicket(idempotencyKey: "first-answer-0001") { id status } }';
    expect(await run(create)).toEqual({ data: { createTicket: { id: 'T-1', status: 'open' } } });
    await run('mutation { closeTicket(id: "T-1") { status } }');
    expect(await run(create)).toEqual({ data: { createTicket: { id: 'T-1', status: 'open' } } });
    expect(tickets.size).toBe(1);
  });
});
