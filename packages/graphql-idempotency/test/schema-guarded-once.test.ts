import { createSchema, createYoga } from 'graphql-yoga';
import type { YogaInitialContext } from 'graphql-yoga';
import { IDEMPOTENT_DIRECTIVE_SDL, IdempotencyGuard, MemoryClaimStore, guardSchema, replayPolicy } from '../src';
import { useIdempotency } from '../src/envelop';

// guardSchema wraps the guarded mutations' resolvers in the schema object itself, and wrapping
// again was a no-op. So a second server built on the same schema object (one `createSchema` shared
// by two Yoga or Apollo servers, as test suites do) silently kept the first server's guard, store
// and scope: its own were never used, and its callers' keys were scoped as the first server's.
const typeDefs = `
  ${IDEMPOTENT_DIRECTIVE_SDL}
  type Query { ok: Boolean }
  type Mutation { createTicket(idempotencyKey: String): Int @idempotent }
`;

const newGuard = () =>
  new IdempotencyGuard(new MemoryClaimStore(), {
    leaseMs: 30_000,
    retentionMs: 60_000,
    retryAfterMs: 200,
    storeTimeoutMs: 1_000,
  });

function sharedSchema() {
  let created = 0;
  return createSchema({ typeDefs, resolvers: { Mutation: { createTicket: () => ++created } } });
}

describe('one schema object guarded by two servers with their own guards', () => {
  it('is refused when the second server is made (createYoga throws, naming the field)', async () => {
    const schema = sharedSchema();
    const first = createYoga({ schema, plugins: [useIdempotency({ guard: newGuard() })] });
    const refusal =
      'guardSchema: Mutation.createTicket is guarded already, by another guardSchema, useIdempotency or ApolloServerPluginIdempotency: one schema object takes one guard (build a schema per server).';
    expect(() =>
      createYoga({
        schema,
        plugins: [useIdempotency({ guard: newGuard(), scope: (context: YogaInitialContext) => context.request.url })],
      }),
    ).toThrow(refusal);
    expect(() => guardSchema(schema, { guard: newGuard() })).toThrow(refusal);
    // The first server is untouched.
    const response = await first.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { createTicket(idempotencyKey: "shared-0001") }' }),
    });
    expect(await response.json()).toEqual({ data: { createTicket: 1 } });
  });

  it('is guarded once when the same options set it up again (a server that sets its schema up twice)', () => {
    const schema = sharedSchema();
    const options = { guard: newGuard() };
    const resolve = guardSchema(schema, options).getMutationType()!.getFields()['createTicket'].resolve;
    expect(guardSchema(schema, options).getMutationType()!.getFields()['createTicket'].resolve).toBe(resolve);
  });

  it('leaves every field as it was when it refuses: none is wrapped by the refused options', () => {
    const schema = createSchema({
      typeDefs: `type Query { ok: Boolean } type Mutation { first(idempotencyKey: String): Int second(idempotencyKey: String): Int }`,
      resolvers: { Mutation: { first: () => 1, second: () => 2 } },
    });
    const policy = (name: string) => replayPolicy(name, { scope: () => '' });
    guardSchema(schema, { guard: newGuard(), policies: { second: policy('second') } });
    const fields = schema.getMutationType()!.getFields();
    const [first, second] = [fields['first'].resolve, fields['second'].resolve];
    expect(() =>
      guardSchema(schema, { guard: newGuard(), policies: { first: policy('first'), second: policy('second') } }),
    ).toThrow('guardSchema: Mutation.second is guarded already');
    expect(fields['first'].resolve).toBe(first);
    expect(fields['second'].resolve).toBe(second);
  });
});
