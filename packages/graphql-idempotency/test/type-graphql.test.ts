import { execute, parse, validate } from 'graphql';
import { Arg, Field, ID, Mutation, ObjectType, Query, Resolver, buildSchema } from 'type-graphql';
import { IdempotentDirectiveRule, idempotentDirective, replayPolicy } from '../src';
import { Idempotent } from '../src/type-graphql';

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
