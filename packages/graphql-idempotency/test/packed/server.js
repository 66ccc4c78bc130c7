// A GraphQL server that uses graphql-idempotency as a stranger would: installed from its tarball,
// nothing of Order Gate. Started by packed.test.ts with SERVER=yoga or SERVER=apollo; prints its port.
'use strict';
const { createServer } = require('node:http');
const { Redis } = require('ioredis');
const { IDEMPOTENT_DIRECTIVE_SDL, IdempotencyGuard, RedisClaimStore } = require('graphql-idempotency');

const typeDefs = `
  ${IDEMPOTENT_DIRECTIVE_SDL}
  type Ticket { id: ID! title: String! }
  type Query { executions: Int! }
  type Mutation { createTicket(title: String!, idempotencyKey: String): Ticket! @idempotent }
`;
let executions = 0;
const resolvers = {
  Query: { executions: () => executions },
  Mutation: {
    async createTicket(_, { title }) {
      executions += 1;
      const id = `ticket-${executions}`;
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { id, title };
    },
  },
};

const redis = new Redis(process.env.REDIS_URL);
const guard = new IdempotencyGuard(new RedisClaimStore(redis, process.env.PREFIX), {
  leaseMs: 30_000,
  retentionMs: 600_000,
  retryAfterMs: 50,
  storeTimeoutMs: 2_000,
});

async function main() {
  await redis.ping();
  if (process.env.SERVER === 'yoga') {
    const { createSchema, createYoga } = require('graphql-yoga');
    const { useIdempotency, useResponseReplay } = require('graphql-idempotency/envelop');
    const caller = (context) => context.request.headers.get('x-user') ?? '';
    const yoga = createYoga({
      schema: createSchema({ typeDefs, resolvers }),
      plugins: [
        useIdempotency({ guard, scope: caller }),
        useResponseReplay({ guard, operations: ['createTicket'], identity: caller, ttlMs: 60_000 }),
      ],
      logging: false,
    });
    const server = createServer(yoga);
    server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
  } else {
    const { ApolloServer } = require('@apollo/server');
    const { startStandaloneServer } = require('@apollo/server/standalone');
    const { ApolloServerPluginIdempotency } = require('graphql-idempotency/apollo');
    const server = new ApolloServer({
      typeDefs,
      resolvers,
      plugins: [ApolloServerPluginIdempotency({ guard, scope: (context) => context.user })],
    });
    const { url } = await startStandaloneServer(server, {
      listen: { port: 0, host: '127.0.0.1' },
      context: async ({ req }) => ({ user: req.headers['x-user'] ?? '' }),
    });
    console.log(`listening ${new URL(url).port}`);
  }
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
