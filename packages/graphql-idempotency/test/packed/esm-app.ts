// An ES module application on the packed package, as a stranger writes one: type-graphql resolvers
// guarded by @Idempotent, served by Apollo Server with the response-level replay, on Redis.
// packed.test.ts compiles it to esm-app.mjs (decorators as TypeScript emits them) and runs it with
// REDIS_URL and PREFIX. It sends one mutation three times and prints what ran, what was replayed,
// and which peers Node loaded as CommonJS beside the application's ES modules.
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { ApolloServer } from '@apollo/server';
import { Redis } from 'ioredis';
import { Arg, Field, ID, Int, Mutation, ObjectType, Query, Resolver, buildSchema } from 'type-graphql';
import { IdempotencyGuard, RedisClaimStore, replayPolicy } from 'graphql-idempotency';
import type { GuardedAttempt } from 'graphql-idempotency';
import { ApolloServerPluginIdempotentDirective, ApolloServerPluginResponseReplay } from 'graphql-idempotency/apollo';
import { Guarded, Idempotent } from 'graphql-idempotency/type-graphql';
import type { IdempotencyContext } from 'graphql-idempotency/type-graphql';

interface Context extends IdempotencyContext {
  user: string;
}

@ObjectType()
class Ticket {
  @Field(() => ID)
  id!: string;

  @Field()
  title!: string;
}

let executions = 0;
/** The key of each attempt the resolver received through @Guarded(). */
const guardedKeys: string[] = [];

@Resolver()
class TicketResolver {
  @Query(() => Int)
  executions(): number {
    return executions;
  }

  @Idempotent(replayPolicy<Context>('createTicket', { scope: (context) => context.user }))
  @Mutation(() => Ticket)
  createTicket(
    @Arg('title') title: string,
    @Arg('idempotencyKey') _key: string,
    @Guarded() attempt: GuardedAttempt,
  ): Ticket {
    executions += 1;
    guardedKeys.push(attempt.scope.key);
    return { id: `ticket-${executions}`, title };
  }
}

/** The peers that ship an ES module build beside their CommonJS one. */
const DUAL_PEERS = ['@apollo/server', 'type-graphql'];

async function main(): Promise<void> {
  const redis = new Redis(process.env['REDIS_URL'] ?? '');
  await redis.ping();
  const guard = new IdempotencyGuard(new RedisClaimStore(redis, process.env['PREFIX'] ?? ''), {
    leaseMs: 30_000,
    retentionMs: 600_000,
    retryAfterMs: 50,
    storeTimeoutMs: 2_000,
  });
  let replays = 0;
  const server = new ApolloServer<Context>({
    schema: await buildSchema({ resolvers: [TicketResolver] }),
    plugins: [
      ApolloServerPluginIdempotentDirective(),
      ApolloServerPluginResponseReplay<Context>({
        guard,
        operations: ['createTicket'],
        identity: (context) => context.user,
        ttlMs: 60_000,
        onReplay: () => (replays += 1),
      }),
    ],
  });
  await server.start();
  const answers: unknown[] = [];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const response = await server.executeOperation(
      {
        query: 'mutation ($key: String!) { createTicket(title: "Printer on fire", idempotencyKey: $key) { id title } }',
        variables: { key: 'esm-app-ticket-1' },
      },
      { contextValue: { user: 'ada', idempotencyGuard: guard, idempotencyDecisions: [] } },
    );
    answers.push(response.body.kind === 'single' ? response.body.singleResult : response.body.kind);
  }
  await server.stop();
  redis.disconnect();
  // require.cache holds every CommonJS module of the process; ES modules never enter it.
  const commonJs = Object.keys(createRequire(`${process.cwd()}/`).cache);
  const commonJsPeers = DUAL_PEERS.filter((peer) => commonJs.some((file) => file.includes(`/node_modules/${peer}/`)));
  console.log(JSON.stringify({ executions, guardedKeys, replays, answers, commonJsPeers }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
