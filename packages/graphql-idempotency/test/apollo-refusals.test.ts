import { ApolloServer } from '@apollo/server';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { createSchema } from 'graphql-yoga';
import { IDEMPOTENT_DIRECTIVE_SDL, IdempotencyGuard, MemoryClaimStore, guardSchema } from '../src';
import { ApolloServerPluginIdempotency, ApolloServerPluginIdempotentDirective } from '../src/apollo';

// Apollo Server adds a stack trace to every error it answers unless NODE_ENV is production or test
// (includeStacktraceInErrorResponses). The README's example answered a reused or malformed key with
// the package's own stack (file paths and all). The package's refusals are answers, not faults:
// they go out without it, while a resolver's own error keeps Apollo's trace.
const typeDefs = `
  ${IDEMPOTENT_DIRECTIVE_SDL}
  type Ticket { id: ID! }
  type Query { ticket: Ticket }
  type Mutation {
    createTicket(title: String!, idempotencyKey: String): Ticket! @idempotent
    slowTicket(idempotencyKey: String): Ticket! @idempotent
    failingTicket(idempotencyKey: String): Ticket! @idempotent
  }
`;

function newGuard() {
  return new IdempotencyGuard(new MemoryClaimStore(), {
    leaseMs: 30_000,
    retentionMs: 60_000,
    retryAfterMs: 200,
    storeTimeoutMs: 1_000,
  });
}

const resolvers = {
  Query: { ticket: () => ({ id: 'T-0' }) },
  Mutation: {
    createTicket: (_: unknown, { title }: { title: string }) => ({ id: title }),
    slowTicket: () => new Promise((resolve) => setTimeout(() => resolve({ id: 'slow' }), 200)),
    failingTicket: () => {
      throw new Error('the database is down');
    },
  },
};

type Errors = { extensions?: Record<string, unknown> }[] | undefined;

async function serverWith(plugins: ApolloServerPlugin<BaseContext>[], schemaFirst = true) {
  const guard = newGuard();
  const schema = createSchema({ typeDefs, resolvers });
  const server = new ApolloServer(
    schemaFirst
      ? {
          schema,
          plugins: [ApolloServerPluginIdempotency({ guard }), ...plugins],
          includeStacktraceInErrorResponses: true,
        }
      : { schema: guardSchema(schema, { guard }), plugins, includeStacktraceInErrorResponses: true },
  );
  await server.start();
  return async (query: string): Promise<Errors> => {
    const { body } = await server.executeOperation({ query });
    if (body.kind !== 'single') throw new Error('expected a single result');
    return body.singleResult.errors as Errors;
  };
}

const codesAndTraces = (errors: Errors) =>
  errors?.map((error) => ({ code: error.extensions?.['code'], stacktrace: 'stacktrace' in (error.extensions ?? {}) }));

describe.each([
  ['ApolloServerPluginIdempotency', [] as ApolloServerPlugin<BaseContext>[], true],
  ['guardSchema with ApolloServerPluginIdempotentDirective', [ApolloServerPluginIdempotentDirective()], false],
])("Apollo Server's development stack traces, with %s", (_plugin, plugins, schemaFirst) => {
  it("leave out the package's refusals: a malformed, reused, mismatched or unsupported key, a key in progress", async () => {
    const send = await serverWith(plugins, schemaFirst);
    await send('mutation { createTicket(title: "a", idempotencyKey: "key-0000001") { id } }');
    const refusals = [
      await send('mutation { createTicket(title: "a", idempotencyKey: "short") { id } }'),
      await send('mutation { createTicket(title: "b", idempotencyKey: "key-0000001") { id } }'),
      await send(
        'mutation { createTicket(title: "a", idempotencyKey: "key-0000001") @idempotent(key: "key-0000002") { id } }',
      ),
      await send('{ ticket @idempotent(key: "key-0000003") { id } }'),
    ];
    const slow = 'mutation { slowTicket(idempotencyKey: "key-0000004") { id } }';
    const [, inProgress] = await Promise.all([
      send(slow),
      new Promise((r) => setTimeout(r, 50)).then(() => send(slow)),
    ]);
    expect([...refusals, inProgress].map(codesAndTraces)).toEqual([
      [{ code: 'BAD_IDEMPOTENCY_KEY', stacktrace: false }],
      [{ code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH', stacktrace: false }],
      [{ code: 'IDEMPOTENCY_KEY_MISMATCH', stacktrace: false }],
      [{ code: 'IDEMPOTENCY_KEY_NOT_SUPPORTED', stacktrace: false }],
      [{ code: 'IDEMPOTENCY_CONCURRENT_REQUEST', stacktrace: false }],
    ]);
  });

  it("keep a resolver's own error's trace, as Apollo Server gives it", async () => {
    const send = await serverWith(plugins, schemaFirst);
    expect(codesAndTraces(await send('mutation { failingTicket(idempotencyKey: "key-0000005") { id } }'))).toEqual([
      { code: 'INTERNAL_SERVER_ERROR', stacktrace: true },
    ]);
  });
});
