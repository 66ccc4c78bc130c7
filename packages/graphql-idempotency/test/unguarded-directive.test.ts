import { ApolloServer } from '@apollo/server';
import { createSchema, createYoga } from 'graphql-yoga';
import { IDEMPOTENT_DIRECTIVE_SDL, IdempotencyGuard, MemoryClaimStore } from '../src';
import { ApolloServerPluginIdempotency } from '../src/apollo';
import { useIdempotency } from '../src/envelop';

// `@idempotent(key:)` on a field no guard runs for: refused with IDEMPOTENCY_KEY_NOT_SUPPORTED on
// every server the package plugs into, rather than ignored (the field would run on every call).
const typeDefs = `
  ${IDEMPOTENT_DIRECTIVE_SDL}
  type Ticket { id: ID! }
  type Query { ticket(id: ID!): Ticket }
  type Mutation {
    createTicket(title: String!, idempotencyKey: String): Ticket! @idempotent
    plain(title: String!): Ticket!
  }
`;

interface Answer {
  status: number;
  body: { data?: Record<string, { id: string } | null> | null; errors?: { extensions?: Record<string, unknown> }[] };
}

function serverParts() {
  const runs = { createTicket: 0, plain: 0, ticket: 0 };
  const resolvers = {
    Query: { ticket: () => ((runs.ticket += 1), { id: 'T-0' }) },
    Mutation: {
      createTicket: () => ((runs.createTicket += 1), { id: `T-${runs.createTicket}` }),
      plain: () => ((runs.plain += 1), { id: `P-${runs.plain}` }),
    },
  };
  const guard = new IdempotencyGuard(new MemoryClaimStore(), {
    leaseMs: 30_000,
    retentionMs: 60_000,
    retryAfterMs: 200,
    storeTimeoutMs: 1_000,
  });
  return { runs, resolvers, guard };
}

const servers: Record<
  string,
  () => Promise<{ send: (query: string) => Promise<Answer>; runs: Record<string, number> }>
> = {
  yoga: async () => {
    const { runs, resolvers, guard } = serverParts();
    const yoga = createYoga({
      schema: createSchema({ typeDefs, resolvers }),
      plugins: [useIdempotency({ guard })],
      logging: false,
    });
    const send = async (query: string) => {
      const response = await yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        // The GraphQL-over-HTTP media type, with which a request error (a validation error) is a 400.
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query }),
      });
      return { status: response.status, body: (await response.json()) as Answer['body'] };
    };
    return { send, runs };
  },
  apollo: async () => {
    const { runs, resolvers, guard } = serverParts();
    const server = new ApolloServer({ typeDefs, resolvers, plugins: [ApolloServerPluginIdempotency({ guard })] });
    await server.start();
    const send = async (query: string) => {
      const response = await server.executeOperation({ query });
      const { body } = response;
      if (body.kind !== 'single') throw new Error('expected a single result');
      return { status: response.http.status ?? 200, body: body.singleResult as Answer['body'] };
    };
    return { send, runs };
  },
};

describe.each(['yoga', 'apollo'])('@idempotent(key:) on %s', (kind) => {
  it('on a mutation that is not guarded: IDEMPOTENCY_KEY_NOT_SUPPORTED naming the field, and nothing runs', async () => {
    const { send, runs } = await servers[kind]();
    const answer = await send('mutation { plain(title: "x") @idempotent(key: "k-0000000001") { id } }');
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['IDEMPOTENCY_KEY_NOT_SUPPORTED']);
    expect(answer.body.errors?.[0]?.extensions).toEqual({
      code: 'IDEMPOTENCY_KEY_NOT_SUPPORTED',
      field: 'Mutation.plain',
    });
    // Without the directive the same field runs as usual.
    expect((await send('mutation { plain(title: "x") { id } }')).body.data).toEqual({ plain: { id: 'P-1' } });
    expect(runs.plain).toBe(1);
  });

  it('on a query field, or a field inside a guarded mutation: refused too', async () => {
    const { send, runs } = await servers[kind]();
    const onQuery = await send('{ ticket(id: "T-0") @idempotent(key: "k-0000000002") { id } }');
    expect(onQuery.body.errors?.[0]?.extensions).toMatchObject({
      code: 'IDEMPOTENCY_KEY_NOT_SUPPORTED',
      field: 'Query.ticket',
    });
    const nested = await send(
      'mutation { createTicket(title: "x") @idempotent(key: "k-0000000003") { id @idempotent(key: "k-0000000003") } }',
    );
    expect(nested.body.errors?.[0]?.extensions).toMatchObject({ field: 'Ticket.id' });
    expect(runs).toEqual({ createTicket: 0, plain: 0, ticket: 0 });
  });

  it('on a guarded mutation: accepted, and its key holds', async () => {
    const { send, runs } = await servers[kind]();
    const query = 'mutation { createTicket(title: "x") @idempotent(key: "k-0000000004") { id } }';
    const [first, second] = [await send(query), await send(query)];
    expect(first.body).toEqual({ data: { createTicket: { id: 'T-1' } } });
    expect(second.body).toEqual(first.body);
    expect(runs.createTicket).toBe(1);
  });
});
