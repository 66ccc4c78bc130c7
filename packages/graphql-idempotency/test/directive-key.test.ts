import { execute, parse, validate } from 'graphql';
import { createSchema } from 'graphql-yoga';
import { IDEMPOTENT_DIRECTIVE_SDL, IdempotencyGuard, MemoryClaimStore, guardSchema } from '../src';

// One response key asked twice (`a: createTicket … a: createTicket …`) is one field to GraphQL,
// resolved once: graphql's validation refuses two different key arguments there, but not two
// different @idempotent(key:) directives. The field ran under the first key and the second was
// dropped without a word: the client believed it had sent two keys.
const typeDefs = `
  ${IDEMPOTENT_DIRECTIVE_SDL}
  type Ticket { id: ID! }
  type Query { ticket: Ticket }
  type Mutation { createTicket(title: String!, idempotencyKey: String): Ticket @idempotent }
`;

function newSchema() {
  let created = 0;
  const schema = createSchema({
    typeDefs,
    resolvers: {
      Mutation: {
        createTicket: () => {
          created += 1;
          return { id: `T-${created}` };
        },
      },
    },
  });
  const guard = new IdempotencyGuard(new MemoryClaimStore(), {
    leaseMs: 30_000,
    retentionMs: 60_000,
    retryAfterMs: 200,
    storeTimeoutMs: 1_000,
  });
  return { schema: guardSchema(schema, { guard }), created: () => created };
}

describe('one field asked twice under one response key', () => {
  it('with two different @idempotent(key:) directives is refused (IDEMPOTENCY_KEY_MISMATCH), nothing runs', async () => {
    const { schema, created } = newSchema();
    const document = parse(`mutation {
      a: createTicket(title: "x") @idempotent(key: "merged-key-0001")  { id }
      a: createTicket(title: "x") @idempotent(key: "merged-key-0002") { id }
    }`);
    expect(validate(schema, document)).toEqual([]);
    const result = await execute({ schema, document, contextValue: {} });
    expect(result.errors?.map((error) => error.extensions['code'])).toEqual(['IDEMPOTENCY_KEY_MISMATCH']);
    expect(created()).toBe(0);
  });

  it('with the same key twice, or the key once, runs once under that key', async () => {
    const { schema, created } = newSchema();
    for (const second of ['@idempotent(key: "merged-key-0003")', '']) {
      const document = parse(`mutation {
        a: createTicket(title: "x") @idempotent(key: "merged-key-0003") { id }
        a: createTicket(title: "x") ${second} { id }
      }`);
      expect(await execute({ schema, document, contextValue: {} })).toEqual({ data: { a: { id: 'T-1' } } });
    }
    expect(created()).toBe(1);
  });
});

// graphql-js takes a context as optional (`graphql({ schema, source })`, as a unit test calls it):
// the guard read the request id and appended its decisions to it, and failed with "Cannot read
// properties of undefined (reading 'requestId')".
describe('a guarded schema executed without a context', () => {
  it('runs a key once and answers its repeat', async () => {
    const { schema, created } = newSchema();
    const document = parse('mutation { createTicket(title: "x", idempotencyKey: "no-context-0001") { id } }');
    expect(await execute({ schema, document })).toEqual({ data: { createTicket: { id: 'T-1' } } });
    expect(await execute({ schema, document })).toEqual({ data: { createTicket: { id: 'T-1' } } });
    expect(created()).toBe(1);
  });
});
