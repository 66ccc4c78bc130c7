import { ApolloServer, HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import { createSchema, createYoga } from 'graphql-yoga';
import { IDEMPOTENT_DIRECTIVE_SDL, IdempotencyGuard, MemoryClaimStore } from '../src';
import { ApolloServerPluginIdempotency } from '../src/apollo';
import { useIdempotency } from '../src/envelop';

// Apollo Server runs a batched HTTP request's operations side by side, each with its own
// willSendResponse, on one shared response head and one context. The first operation to answer,
// a repeat, set `Idempotent-Replayed: true` on the head, and the next one, a new key that ran its
// resolver, left it there: the batch said "all repeats" while something new was created.
const typeDefs = `
  ${IDEMPOTENT_DIRECTIVE_SDL}
  type Ticket { id: ID! }
  type Query { ticket: Ticket }
  type Mutation { createTicket(title: String!, idempotencyKey: String): Ticket! @idempotent }
`;

const newGuard = () =>
  new IdempotencyGuard(new MemoryClaimStore(), {
    leaseMs: 30_000,
    retentionMs: 60_000,
    retryAfterMs: 1_500,
    storeTimeoutMs: 1_000,
  });

async function batchingServer() {
  const guard = newGuard();
  let created = 0;
  const server = new ApolloServer({
    typeDefs,
    allowBatchedHttpRequests: true,
    resolvers: {
      Mutation: {
        // A new ticket takes a moment (a database write): the repeat beside it answers first.
        createTicket: async () => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          created += 1;
          return { id: `T-${created}` };
        },
      },
    },
    plugins: [ApolloServerPluginIdempotency({ guard })],
  });
  await server.start();
  const post = async (keys: string[]) => {
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: 'POST',
        headers: new HeaderMap([['content-type', 'application/json']]),
        search: '',
        body: keys.map((key) => ({
          query: `mutation { createTicket(title: "a", idempotencyKey: "${key}") { id } }`,
        })),
      },
      context: async () => ({}),
    });
    if (response.body.kind !== 'complete') throw new Error('expected a complete body');
    return {
      replayed: response.headers.get('idempotent-replayed') ?? null,
      body: JSON.parse(response.body.string) as unknown,
    };
  };
  return { server, post };
}

describe('a batched HTTP request on Apollo Server', () => {
  it('is marked Idempotent-Replayed only when every operation of the batch was a repeat', async () => {
    const { server, post } = await batchingServer();
    try {
      expect(await post(['batch-key-0001'])).toEqual({
        replayed: null,
        body: [{ data: { createTicket: { id: 'T-1' } } }],
      });
      expect(await post(['batch-key-0001', 'batch-key-0002'])).toEqual({
        replayed: null,
        body: [{ data: { createTicket: { id: 'T-1' } } }, { data: { createTicket: { id: 'T-2' } } }],
      });
      expect(await post(['batch-key-0001', 'batch-key-0002'])).toEqual({
        replayed: 'true',
        body: [{ data: { createTicket: { id: 'T-1' } } }, { data: { createTicket: { id: 'T-2' } } }],
      });
    } finally {
      await server.stop();
    }
  });
});

// GraphQL Yoga gives each operation of a batch its own context: the plugin kept only the last
// operation's decisions for the HTTP response, so a batch whose first operation created something
// and whose last was a repeat said `Idempotent-Replayed: true`, and one whose middle operation was
// told to retry had no Retry-After when its last operation ran.
function batchingYoga() {
  let created = 0;
  const yoga = createYoga({
    batching: true,
    schema: createSchema({
      typeDefs,
      resolvers: {
        Mutation: {
          createTicket: async () => {
            await new Promise((resolve) => setTimeout(resolve, 50));
            created += 1;
            return { id: `T-${created}` };
          },
        },
      },
    }),
    plugins: [useIdempotency({ guard: newGuard() })],
  });
  return async (keys: string[]) => {
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        keys.map((key) => ({ query: `mutation { createTicket(title: "a", idempotencyKey: "${key}") { id } }` })),
      ),
    });
    return {
      replayed: response.headers.get('idempotent-replayed'),
      retryAfter: response.headers.get('retry-after'),
      ids: ((await response.json()) as { data: { createTicket: { id: string } | null } | null }[]).map(
        (answer) => answer.data?.createTicket?.id ?? null,
      ),
    };
  };
}

describe('a batched HTTP request on GraphQL Yoga', () => {
  it("takes every operation's decisions for its headers, not the last one's", async () => {
    const post = batchingYoga();
    expect(await post(['yoga-key-0001'])).toEqual({ replayed: null, retryAfter: null, ids: ['T-1'] });
    // A new key, then a repeat: not all repeats.
    expect(await post(['yoga-key-0002', 'yoga-key-0001'])).toEqual({
      replayed: null,
      retryAfter: null,
      ids: ['T-2', 'T-1'],
    });
    expect(await post(['yoga-key-0002', 'yoga-key-0001'])).toEqual({
      replayed: 'true',
      retryAfter: null,
      ids: ['T-2', 'T-1'],
    });
    // The same new key twice (the second told to retry), then another new key.
    expect(await post(['yoga-key-0003', 'yoga-key-0003', 'yoga-key-0004'])).toEqual({
      replayed: null,
      retryAfter: '2',
      ids: ['T-3', null, 'T-4'],
    });
  });
});

// Found from outside: a batch whose one operation carried `@idempotent(key:)` on a field no guard
// runs for answered HTTP 400 for the whole batch, while the batch's guarded mutation had run: a
// client that reads the status (Apollo Client's BatchHttpLink throws on a non-2xx) was told that
// the ticket it had just created failed. The refusal's 400 belongs to a request of that operation
// alone; in a batch each operation has its own answer and the refused one its typed error.
describe('a batch with an operation refused for @idempotent(key:) on an unguarded field', () => {
  const refused = {
    errors: [
      {
        message:
          '@idempotent(key:) is not supported on Query.ticket: no idempotency guard runs for that field, so its key would be ignored.',
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'IDEMPOTENCY_KEY_NOT_SUPPORTED', field: 'Query.ticket' },
      },
    ],
  };
  const unguarded = { query: '{ ticket @idempotent(key: "ticket-key-0001") { id } }' };
  const create = (key: string) => ({
    query: `mutation { createTicket(title: "a", idempotencyKey: "${key}") { id } }`,
  });

  /**
   * Runs a batch; `refusalLast` holds the refused operation back before its validation (50 ms) so
   * that the mutation answers first. `order` is the order the operations answered in.
   */
  async function apolloBatch(operations: { query: string }[], refusalLast = false) {
    let created = 0;
    const order: string[] = [];
    const isRefused = (query: string | undefined) => query?.includes('@idempotent') === true;
    const answerOrder: ApolloServerPlugin = {
      async requestDidStart({ request }) {
        return {
          async validationDidStart() {
            if (refusalLast && isRefused(request.query)) await new Promise((resolve) => setTimeout(resolve, 50));
          },
          async willSendResponse() {
            order.push(isRefused(request.query) ? 'refused' : 'mutation');
          },
        };
      },
    };
    const server = new ApolloServer({
      typeDefs,
      allowBatchedHttpRequests: true,
      resolvers: {
        Query: { ticket: () => ({ id: 'T-0' }) },
        Mutation: { createTicket: () => ((created += 1), { id: `T-${created}` }) },
      },
      plugins: [answerOrder, ApolloServerPluginIdempotency({ guard: newGuard() })],
    });
    await server.start();
    try {
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: 'POST',
          headers: new HeaderMap([['content-type', 'application/json']]),
          search: '',
          body: operations,
        },
        context: async () => ({}),
      });
      if (response.body.kind !== 'complete') throw new Error('expected a complete body');
      return { status: response.status ?? 200, body: JSON.parse(response.body.string) as unknown, created, order };
    } finally {
      await server.stop();
    }
  }

  const mutationAnswer = { data: { createTicket: { id: 'T-1' } } };

  it.each([
    ['first', false, ['refused', 'mutation']],
    ['last', true, ['mutation', 'refused']],
  ])(
    'on Apollo Server (the refused one answering %s): 200, the mutation its answer, the refused one its typed error',
    async (_, refusalLast, order) => {
      expect(await apolloBatch([unguarded, create('batch-key-0101')], refusalLast)).toEqual({
        status: 200,
        body: [refused, mutationAnswer],
        created: 1,
        order,
      });
    },
  );

  it.each([
    ['first', false],
    ['last', true],
  ])(
    'on Apollo Server, a refusal beside an invalid operation (the refusal answering %s): 400, as the invalid one alone is',
    async (_, refusalLast) => {
      const invalid = { query: '{ nope }' };
      const answer = await apolloBatch([unguarded, invalid], refusalLast);
      expect([answer.status, answer.created]).toEqual([400, 0]);
      const [first, second] = answer.body as { data?: unknown; errors?: { extensions?: { code?: string } }[] }[];
      expect([first, second.data, second.errors?.[0].extensions?.code]).toEqual([
        refused,
        undefined,
        'GRAPHQL_VALIDATION_FAILED',
      ]);
    },
  );

  it('on Apollo Server, of refused operations alone: 400, each its typed error', async () => {
    expect(await apolloBatch([unguarded, unguarded])).toEqual({
      status: 400,
      body: [refused, refused],
      created: 0,
      order: ['refused', 'refused'],
    });
  });
});
