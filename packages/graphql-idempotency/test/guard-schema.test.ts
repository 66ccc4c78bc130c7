import { ApolloServer } from '@apollo/server';
import { createSchema, createYoga } from 'graphql-yoga';
import { IDEMPOTENT_DIRECTIVE_SDL, IdempotencyGuard, MemoryClaimStore, replayPolicy } from '../src';
import type { GuardSchemaOptions } from '../src';
import { ApolloServerPluginIdempotency } from '../src/apollo';
import { useIdempotency } from '../src/envelop';

// Only the Mutation type's fields are guarded. A query or subscription marked @idempotent, or a
// policy named after a mutation the schema lacks, ran unguarded with nothing said (a query ran on
// every call, a misspelt mutation's repeats ran again): the server now refuses to start, naming it.
const guard = new IdempotencyGuard(new MemoryClaimStore(), {
  leaseMs: 30_000,
  retentionMs: 60_000,
  retryAfterMs: 200,
  storeTimeoutMs: 1_000,
});
const resolvers = { Subscription: { ticks: { subscribe: async function* () {} } } };

function typeDefs(fields: {
  query?: string;
  mutation?: string;
  subscription?: string;
  ticket?: string;
  extraMutation?: string;
}): string {
  return `
    ${IDEMPOTENT_DIRECTIVE_SDL}
    type Ticket { id: ID! ${fields.ticket ?? ''} }
    type Query { ticket(id: ID!, idempotencyKey: String): Ticket ${fields.query ?? ''} }
    type Mutation {
      createTicket(title: String!, idempotencyKey: String): Ticket! ${fields.mutation ?? ''}
      ${fields.extraMutation ?? ''}
    }
    type Subscription { ticks(idempotencyKey: String): Int ${fields.subscription ?? ''} }
  `;
}

/** Starts a server on the schema (Yoga guards it as it is created, Apollo Server as it starts). */
const starts: Record<string, (sdl: string, options: GuardSchemaOptions<unknown>) => Promise<void>> = {
  yoga: async (sdl, options) => {
    createYoga({ schema: createSchema({ typeDefs: sdl, resolvers }), plugins: [useIdempotency(options)] });
  },
  apollo: async (sdl, options) => {
    const server = new ApolloServer({ typeDefs: sdl, resolvers, plugins: [ApolloServerPluginIdempotency(options)] });
    await server.start();
    await server.stop();
  },
};

describe.each(Object.keys(starts))('guarding a schema on %s', (kind) => {
  const start = starts[kind];

  it.each([
    ['a query', { query: '@idempotent' }, 'Query.ticket'],
    ['a subscription', { subscription: '@idempotent' }, 'Subscription.ticks'],
    ["a result type's field", { ticket: 'title: String @idempotent' }, 'Ticket.title'],
  ])('refuses to start when @idempotent marks %s, naming the field', async (_what, fields, name) => {
    await expect(start(typeDefs(fields), { guard })).rejects.toThrow(
      `guardSchema: @idempotent marks ${name}, but only fields of the Mutation type are guarded.`,
    );
  });

  it('refuses to start when policies name a mutation the schema lacks, listing its mutations', async () => {
    const policies = { creatTicket: replayPolicy('creatTicket', { scope: () => '' }) };
    await expect(start(typeDefs({}), { guard, policies })).rejects.toThrow(
      'guardSchema: policies.creatTicket is no field of the Mutation type (its fields: createTicket).',
    );
  });

  // A claim is scoped by its policy's operation: two mutations given one policy shared one key
  // space, and cancelTicket(key K) after createTicket(key K) was answered "created" without running.
  it('refuses to start when two policies entries share one operation, naming both fields', async () => {
    const ticketPolicy = replayPolicy('ticket', { scope: () => '' });
    const policies = { createTicket: ticketPolicy, cancelTicket: ticketPolicy };
    await expect(
      start(typeDefs({ extraMutation: 'cancelTicket(idempotencyKey: String): Ticket' }), { guard, policies }),
    ).rejects.toThrow(
      'guardSchema: Mutation.createTicket and Mutation.cancelTicket share the policy operation "ticket"',
    );
  });

  it("refuses a policies entry named after another @idempotent mutation's operation", async () => {
    const policies = { createTicket: replayPolicy('cancelTicket', { scope: () => '' }) };
    const extraMutation = 'cancelTicket(idempotencyKey: String): Ticket @idempotent';
    await expect(start(typeDefs({ extraMutation }), { guard, policies })).rejects.toThrow(
      'guardSchema: Mutation.createTicket and Mutation.cancelTicket share the policy operation "cancelTicket"',
    );
  });

  it('starts with @idempotent on a mutation and a policy for it', async () => {
    const policies = { createTicket: replayPolicy('createTicket', { scope: () => '' }) };
    await expect(start(typeDefs({ mutation: '@idempotent' }), { guard, policies })).resolves.toBeUndefined();
  });
});
