import { GraphQLScalarType, execute, parse } from 'graphql';
import type { Redis } from 'ioredis';
import { createSchema } from 'graphql-yoga';
import { IDEMPOTENT_DIRECTIVE_SDL, IdempotencyGuard, RedisClaimStore, guardSchema } from '../src';
import { connectRedis, dropPrefix, uniquePrefix } from './support';

// replayPolicy remembers the resolver's result as JSON. An ORM entity often is not JSON: a parent
// that lists its children, each pointing back to it (a cycle), or a BigInt column. JSON.stringify
// threw after the mutation had run, so the claim was never completed: its repeats were told
// IDEMPOTENCY_CONCURRENT_REQUEST for the whole lease, and the first one after it ran the mutation
// again (a second ticket).
const typeDefs = `
  ${IDEMPOTENT_DIRECTIVE_SDL}
  scalar BigInt
  type Owner { id: ID! name: String! tickets: [Ticket!]! }
  type Ticket { id: ID! number: BigInt! owner: Owner! }
  type Query { ticket: Ticket }
  type Mutation { createTicket(title: String!, idempotencyKey: String): Ticket! @idempotent }
`;

let redis: Redis;
const prefix = uniquePrefix('unencodable');
beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(() => dropPrefix(redis, prefix));

describe('a guarded mutation whose result is not plain JSON (a cycle back to its parent, a BigInt)', () => {
  it('is remembered: its repeat is answered at once without running it again', async () => {
    let created = 0;
    const failures: string[] = [];
    const guard = new IdempotencyGuard(new RedisClaimStore(redis, prefix), {
      leaseMs: 30_000,
      retentionMs: 60_000,
      retryAfterMs: 200,
      storeTimeoutMs: 1_000,
      onStoreFailure: (operation, error) => failures.push(`${operation}: ${String(error)}`),
    });
    const schema = guardSchema(
      createSchema({
        typeDefs,
        resolvers: {
          BigInt: { serialize: (value: unknown) => String(value) },
          Mutation: {
            createTicket: () => {
              created += 1;
              const owner = { id: 'O-1', name: 'Ada', tickets: [] as unknown[] };
              const ticket = { id: `T-${created}`, number: 9007199254740993n, owner };
              owner.tickets.push(ticket);
              return ticket;
            },
          },
        },
      }),
      { guard },
    );
    const document = parse(
      'mutation { createTicket(title: "a", idempotencyKey: "cyclic-0001") { id number owner { name tickets { id } } } }',
    );
    const run = () => execute({ schema, document, contextValue: {} });
    const first = await run();
    expect(first).toEqual({
      data: {
        createTicket: { id: 'T-1', number: '9007199254740993', owner: { name: 'Ada', tickets: [{ id: 'T-1' }] } },
      },
    });
    const repeat = await run();
    expect(repeat).toEqual(first);
    expect(created).toBe(1);
    expect(failures).toEqual([]);
  });
});

// An argument of a scalar parsed to a BigInt (an amount in cents, graphql-scalars' BigInt):
// replayPolicy's fingerprint of the payload threw "Do not know how to serialize a BigInt", an error
// without a code, and the mutation could never run.
describe('a guarded mutation with an argument parsed to a BigInt', () => {
  it('runs once per key; the same key with another amount is a reused key', async () => {
    let paid = 0;
    const guard = new IdempotencyGuard(new RedisClaimStore(redis, prefix), {
      leaseMs: 30_000,
      retentionMs: 60_000,
      retryAfterMs: 200,
      storeTimeoutMs: 1_000,
    });
    const schema = guardSchema(
      createSchema({
        typeDefs: `
          ${IDEMPOTENT_DIRECTIVE_SDL}
          scalar BigInt
          type Query { ok: Boolean }
          type Mutation { pay(amount: BigInt!, idempotencyKey: String): String @idempotent }
        `,
        resolvers: {
          BigInt: new GraphQLScalarType({
            name: 'BigInt',
            serialize: String,
            parseValue: (value) => BigInt(value as string),
            parseLiteral: (node) => BigInt((node as { value: string }).value),
          }),
          Mutation: {
            pay: (_: unknown, { amount }: { amount: bigint }) => {
              paid += 1;
              return `paid ${amount} (${paid})`;
            },
          },
        },
      }),
      { guard },
    );
    const pay = (amount: string) =>
      execute({
        schema,
        document: parse(`mutation { pay(amount: ${amount}, idempotencyKey: "pay-0001") }`),
        contextValue: {},
      });
    expect(await pay('9007199254740993')).toEqual({ data: { pay: 'paid 9007199254740993 (1)' } });
    expect(await pay('9007199254740993')).toEqual({ data: { pay: 'paid 9007199254740993 (1)' } });
    const other = await pay('9007199254740994');
    expect(other.errors?.map((error) => error.extensions['code'])).toEqual(['IDEMPOTENCY_KEY_PARAMETER_MISMATCH']);
    expect(paid).toBe(1);
  });
});
