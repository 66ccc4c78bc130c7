import { ApolloServer } from '@apollo/server';
import { execute, parse } from 'graphql';
import { Arg, Mutation, Query, Resolver, buildSchema } from 'type-graphql';
import { IdempotencyGuard, MemoryClaimStore, idempotentDirective, replayPolicy } from '../src';
import { ApolloServerPluginIdempotentDirective } from '../src/apollo';
import { Idempotent } from '../src/type-graphql';

// Only mutations are guarded: schema-first, `@idempotent` on a query's definition stops the server
// from starting. type-graphql's `@Idempotent` on a @Query was taken without a word, and the query's
// first answer was then served to every later call with that key for the whole retention.
let reads = 0;

@Resolver()
class MisplacedResolver {
  @Idempotent(replayPolicy('balance', { scope: () => '' }))
  @Query(() => String)
  balance(@Arg('idempotencyKey', () => String, { nullable: true }) _key?: string): string {
    reads += 1;
    return `balance read ${reads}`;
  }

  @Mutation(() => String)
  touch(): string {
    return 'touched';
  }
}

const MESSAGE = '@Idempotent marks Query.balance, but only fields of the Mutation type are guarded.';

describe('@Idempotent on a field that is no mutation', () => {
  it('fails that field with an error naming it, without running it', async () => {
    const schema = await buildSchema({ resolvers: [MisplacedResolver], directives: [idempotentDirective] });
    const guard = new IdempotencyGuard(new MemoryClaimStore(), {
      leaseMs: 30_000,
      retentionMs: 60_000,
      retryAfterMs: 200,
      storeTimeoutMs: 1_000,
    });
    const result = await execute({
      schema,
      document: parse('{ balance(idempotencyKey: "balance-0001") }'),
      contextValue: { idempotencyGuard: guard },
    });
    expect(result.errors?.map((error) => error.message)).toEqual([MESSAGE]);
    expect(reads).toBe(0);
  });

  it('stops Apollo Server with ApolloServerPluginIdempotentDirective from starting, naming the field', async () => {
    const schema = await buildSchema({ resolvers: [MisplacedResolver], directives: [idempotentDirective] });
    const server = new ApolloServer({ schema, plugins: [ApolloServerPluginIdempotentDirective()] });
    await expect(server.start()).rejects.toThrow(MESSAGE);
  });
});
