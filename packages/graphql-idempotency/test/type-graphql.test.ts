import { ApolloServer } from '@apollo/server';
import { execute, parse, validate } from 'graphql';
import { Arg, Field, ID, Mutation, ObjectType, Query, Resolver, buildSchema } from 'type-graphql';
import { IdempotencyGuard, IdempotentDirectiveRule, MemoryClaimStore, idempotentDirective, replayPolicy } from '../src';
import { ApolloServerPluginIdempotentDirective } from '../src/apollo';
import { Idempotent } from '../src/type-graphql';
import type { IdempotencyContext } from '../src/type-graphql';

// The type-graphql adapter. type-graphql has no plugin of ours to run the rule: its server adds
// IdempotentDirectiveRule to its validation rules, and @Idempotent marks the fields that accept the
// directive. The decorators are applied as calls, since this package's own tsconfig does not enable
// legacy decorators.
class Ticket {
  id!: string;
}
Field(() => ID)(Ticket.prototype, 'id');
ObjectType()(Ticket);

class TicketResolver {
  ticket(): Ticket {
    return { id: 'T-0' };
  }
  createTicket(title: string): Ticket {
    return { id: title };
  }
  plain(title: string): Ticket {
    return { id: title };
  }
}
const descriptorOf = (name: 'ticket' | 'createTicket' | 'plain') =>
  Object.getOwnPropertyDescriptor(TicketResolver.prototype, name)!;
Query(() => Ticket)(TicketResolver.prototype, 'ticket', descriptorOf('ticket'));
for (const name of ['createTicket', 'plain'] as const) {
  Arg('title', () => String)(TicketResolver.prototype, name, 0);
  Mutation(() => Ticket)(TicketResolver.prototype, name, descriptorOf(name));
}
Idempotent(replayPolicy('createTicket', { scope: () => '' }))(
  TicketResolver.prototype,
  'createTicket',
  descriptorOf('createTicket'),
);
Resolver()(TicketResolver);

describe('IdempotentDirectiveRule with type-graphql', () => {
  it('accepts @idempotent(key:) on an @Idempotent mutation, refuses it on any other field', async () => {
    const schema = await buildSchema({ resolvers: [TicketResolver], directives: [idempotentDirective] });
    const errorsOf = (query: string) =>
      validate(schema, parse(query), [IdempotentDirectiveRule]).map((error) => error.extensions);
    expect(errorsOf('mutation { createTicket(title: "x") @idempotent(key: "k-0000000001") { id } }')).toEqual([]);
    expect(errorsOf('mutation { plain(title: "x") @idempotent(key: "k-0000000001") { id } }')).toEqual([
      { code: 'IDEMPOTENCY_KEY_NOT_SUPPORTED', field: 'Mutation.plain' },
    ]);
    expect(errorsOf('{ ticket @idempotent(key: "k-0000000001") { id } }')).toEqual([
      { code: 'IDEMPOTENCY_KEY_NOT_SUPPORTED', field: 'Query.ticket' },
    ]);
  });
});

describe('@Idempotent without the guard in the context', () => {
  it('fails the mutation with an error that names idempotencyGuard (not a TypeError about run)', async () => {
    const schema = await buildSchema({ resolvers: [TicketResolver], directives: [idempotentDirective] });
    const result = await execute({
      schema,
      document: parse('mutation { createTicket(title: "x") @idempotent(key: "k-0000000001") { id } }'),
      contextValue: {},
    });
    expect(result.errors?.map((error) => error.message)).toEqual([
      '@Idempotent needs the IdempotencyGuard in the GraphQL context, as `idempotencyGuard`.',
    ]);
    expect(result.data).toBeNull();
  });
});

/** A mutation whose first run waits for `release`, so that its key stays in progress meanwhile. */
const heldRun = { entered: () => {}, release: () => {} };
class HeldTicketResolver {
  async heldTicket(title: string): Promise<Ticket> {
    const released = new Promise<void>((resolve) => (heldRun.release = resolve));
    heldRun.entered();
    await released;
    return { id: title };
  }
}
Arg('title', () => String)(HeldTicketResolver.prototype, 'heldTicket', 0);
Mutation(() => Ticket)(
  HeldTicketResolver.prototype,
  'heldTicket',
  Object.getOwnPropertyDescriptor(HeldTicketResolver.prototype, 'heldTicket')!,
);
Idempotent(replayPolicy('heldTicket', { scope: () => '' }))(
  HeldTicketResolver.prototype,
  'heldTicket',
  Object.getOwnPropertyDescriptor(HeldTicketResolver.prototype, 'heldTicket')!,
);
Resolver()(HeldTicketResolver);

describe("type-graphql on Apollo Server with ApolloServerPluginIdempotentDirective (the README's set-up)", () => {
  it('sends Retry-After on a key in progress and Idempotent-Replayed on a repeat, as the schema-first plugin does', async () => {
    const guard = new IdempotencyGuard(new MemoryClaimStore(), {
      leaseMs: 30_000,
      retentionMs: 60_000,
      retryAfterMs: 1_500,
      storeTimeoutMs: 1_000,
    });
    const server = new ApolloServer<IdempotencyContext>({
      schema: await buildSchema({ resolvers: [TicketResolver, HeldTicketResolver], directives: [idempotentDirective] }),
      plugins: [ApolloServerPluginIdempotentDirective()],
    });
    await server.start();
    const send = async () => {
      const { body, http } = await server.executeOperation(
        { query: 'mutation { heldTicket(title: "T-1") @idempotent(key: "held-0000001") { id } }' },
        { contextValue: { idempotencyGuard: guard } },
      );
      if (body.kind !== 'single') throw new Error('expected a single result');
      return {
        answer: body.singleResult.data ?? body.singleResult.errors?.map((error) => error.extensions?.['code']),
        replayed: http.headers.get('idempotent-replayed'),
        retryAfter: http.headers.get('retry-after'),
      };
    };
    const entered = new Promise<void>((resolve) => (heldRun.entered = resolve));
    const first = send();
    await entered;
    expect(await send()).toEqual({
      answer: ['IDEMPOTENCY_CONCURRENT_REQUEST'],
      replayed: undefined,
      retryAfter: '2', // 1 500 ms, in whole seconds rounded up
    });
    heldRun.release();
    const created = { answer: { heldTicket: { id: 'T-1' } }, replayed: undefined, retryAfter: undefined };
    expect(await first).toEqual(created);
    expect(await send()).toEqual({ ...created, replayed: 'true' });
    await server.stop();
  });
});
