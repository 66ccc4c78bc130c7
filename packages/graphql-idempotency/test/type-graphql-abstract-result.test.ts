import { execute, parse } from 'graphql';
import type { Redis } from 'ioredis';
import {
  Arg,
  Field,
  ID,
  InterfaceType,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  buildSchema,
  createUnionType,
} from 'type-graphql';
import type { IdempotencyGuard } from '../src';
import {
  IdempotencyGuard as Guard,
  MemoryClaimStore,
  RedisClaimStore,
  idempotentDirective,
  replayPolicy,
} from '../src';
import { Idempotent } from '../src/type-graphql';
import { connectRedis, dropPrefix, uniquePrefix } from './support';

// A type-graphql mutation whose result is a union or an interface (`TicketCreated | TicketRefused`,
// a common way to answer "created" or "refused"), guarded with replayPolicy. Its repeat answered
// from Redis got the remembered result as a plain object (JSON), and type-graphql finds a union's
// or interface's member by `instanceof` its class: every repeat failed with "Cannot resolve type
// for union CreateTicketResult! You need to return instance of object type class, not a plain
// object!" and data null. (The memory store, which then kept the very object, answered.)
@InterfaceType()
abstract class Node {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ implements: Node })
class CreatedTicket extends Node {
  @Field()
  title!: string;

  @Field()
  get shout(): string {
    return this.title.toUpperCase();
  }
}

@ObjectType()
class RefusedTicket {
  @Field()
  reason!: string;
}

const CreateTicketResult = createUnionType({
  name: 'CreateTicketResult',
  types: () => [CreatedTicket, RefusedTicket] as const,
});

let created = 0;
function ticket(title: string): CreatedTicket | RefusedTicket {
  created += 1;
  if (title === '') return Object.assign(new RefusedTicket(), { reason: 'no title' });
  return Object.assign(new CreatedTicket(), { id: `T-${created}`, title });
}

const scope = () => 'customer-1';

/** A policy class keeping its delegate in a private field, as a class written by hand may. */
const privateInner = () => replayPolicy('createTicketPrivate', { scope });
type Inner = ReturnType<typeof privateInner>;
class PrivatePolicy {
  readonly #inner: Inner = privateInner();
  readonly operation = 'createTicketPrivate';
  prepare(...args: Parameters<Inner['prepare']>) {
    return this.#inner.prepare(...args);
  }
  outcomeOf(...args: Parameters<Inner['outcomeOf']>) {
    return this.#inner.outcomeOf(...args);
  }
  findCommitted(...args: Parameters<Inner['findCommitted']>) {
    return this.#inner.findCommitted(...args);
  }
  answer(...args: Parameters<Inner['answer']>) {
    return this.#inner.answer(...args);
  }
}

@Resolver()
class AbstractResultResolver {
  @Query(() => String)
  ping(): string {
    return 'pong';
  }

  @Idempotent(replayPolicy('createTicketUnion', { scope }))
  @Mutation(() => CreateTicketResult)
  createTicketUnion(@Arg('title') title: string, @Arg('idempotencyKey') _key: string) {
    return ticket(title);
  }

  @Idempotent(replayPolicy('createTicketNode', { scope }))
  @Mutation(() => Node)
  createTicketNode(@Arg('title') title: string, @Arg('idempotencyKey') _key: string) {
    return ticket(title);
  }

  // A policy frozen, and a policy class with private fields: the restoring twin calls them on themselves.
  @Idempotent(Object.freeze(replayPolicy('createTicketFrozen', { scope })))
  @Mutation(() => CreateTicketResult)
  createTicketFrozen(@Arg('title') title: string, @Arg('idempotencyKey') _key: string) {
    return ticket(title);
  }

  @Idempotent(new PrivatePolicy())
  @Mutation(() => CreateTicketResult)
  createTicketPrivate(@Arg('title') title: string, @Arg('idempotencyKey') _key: string) {
    return ticket(title);
  }

  @Idempotent(replayPolicy('createTickets', { scope }))
  @Mutation(() => [CreateTicketResult])
  createTickets(@Arg('titles', () => [String]) titles: string[], @Arg('idempotencyKey') _key: string) {
    return titles.map(ticket);
  }
}

let redis: Redis;
const prefix = uniquePrefix('tg-abstract');
beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(() => dropPrefix(redis, prefix));

const options = { leaseMs: 30_000, retentionMs: 60_000, retryAfterMs: 200, storeTimeoutMs: 1_000 };

describe.each([
  ['RedisClaimStore', () => new Guard(new RedisClaimStore(redis, prefix), options)],
  ['MemoryClaimStore', () => new Guard(new MemoryClaimStore(), options)],
])('a type-graphql mutation of a union or interface type, with %s', (_store, newGuard: () => IdempotencyGuard) => {
  it('answers its repeat as its first call: same member, same fields, its class getters too', async () => {
    const schema = await buildSchema({ resolvers: [AbstractResultResolver], directives: [idempotentDirective] });
    const guard = newGuard();
    const run = async (source: string) => {
      const result = await execute({ schema, document: parse(source), contextValue: { idempotencyGuard: guard } });
      return JSON.parse(JSON.stringify(result)) as unknown;
    };
    const key = `${_store}-0001`;
    const operations = [
      `mutation { createTicketUnion(title: "Jam", idempotencyKey: "u-${key}") {
         __typename ... on CreatedTicket { id title shout } ... on RefusedTicket { reason } } }`,
      `mutation { createTicketUnion(title: "", idempotencyKey: "r-${key}") {
         __typename ... on CreatedTicket { id } ... on RefusedTicket { reason } } }`,
      `mutation { createTicketFrozen(title: "Ice", idempotencyKey: "f-${key}") {
         __typename ... on CreatedTicket { id title } ... on RefusedTicket { reason } } }`,
      `mutation { createTicketPrivate(title: "Key", idempotencyKey: "p-${key}") {
         __typename ... on CreatedTicket { id title } ... on RefusedTicket { reason } } }`,
      `mutation { createTicketNode(title: "Fire", idempotencyKey: "n-${key}") {
         __typename id ... on CreatedTicket { shout } } }`,
      `mutation { createTickets(titles: ["A", ""], idempotencyKey: "l-${key}") {
         __typename ... on CreatedTicket { id shout } ... on RefusedTicket { reason } } }`,
    ];
    for (const operation of operations) {
      const first = await run(operation);
      expect(first).not.toHaveProperty('errors');
      const runsBefore = created;
      expect(await run(operation)).toEqual(first);
      expect(created).toBe(runsBefore);
    }
  });
});
