// The bench's server: a bare GraphQL Yoga server with one trivial mutation, unguarded (`plain`) and
// guarded (`guarded`, through graphql-idempotency's envelop plugin, claims in Redis on loopback).
'use strict';
const { createServer } = require('node:http');
const { createSchema, createYoga } = require('graphql-yoga');
const { Redis } = require('ioredis');
const {
  IDEMPOTENT_DIRECTIVE_SDL,
  IdempotencyGuard,
  NearCacheClaimStore,
  RedisClaimStore,
  TrackedNearCacheClaimStore,
} = require('..');
const { useIdempotency, useResponseReplay } = require('../dist/envelop');

// PIPELINE=1: ioredis's auto-pipelining (commands of one event-loop turn go out in one write).
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  enableAutoPipelining: process.env.PIPELINE === '1',
});
// TUNED=1: the near cache in front of Redis and settlement in the background (see the README).
const tuned = process.env.TUNED === '1';
// BACKGROUND=1: settlement in the background with any store (TUNED=1 includes it).
const background = tuned || process.env.BACKGROUND === '1';
// TRACKED=1: the near cache Redis keeps true (CLIENT TRACKING), every guarantee of the defaults kept.
const tracked = process.env.TRACKED === '1';
// REPLAY=1: the response-level replay (useResponseReplay) beside the guard; with TRACKED=1 it confirms from memory.
const replay = process.env.REPLAY === '1';
const redisStore = new RedisClaimStore(redis, process.env.PREFIX ?? 'gi-bench');
function claimStore() {
  if (tuned) return new NearCacheClaimStore(redisStore, { ttlMs: 60_000 });
  if (!tracked) return redisStore;
  const connections = { reader: redis.duplicate(), subscriber: redis.duplicate({ autoResubscribe: false }) };
  return new TrackedNearCacheClaimStore(redisStore, connections);
}
const guard = new IdempotencyGuard(claimStore(), {
  leaseMs: 30_000,
  retentionMs: 600_000,
  retryAfterMs: 100,
  storeTimeoutMs: 1_000,
  settleInBackground: background,
});
const typeDefs = `
  ${IDEMPOTENT_DIRECTIVE_SDL}
  type Ticket { id: ID! title: String! }
  type Query { ok: Boolean! }
  type Mutation {
    plain(title: String!): Ticket!
    guarded(title: String!, idempotencyKey: String!): Ticket! @idempotent
    floor(title: String!, idempotencyKey: String!): Ticket!
  }
`;
let next = 0;
const create = (_, { title }) => ({ id: String((next += 1)), title });
// The floor: the unguarded mutation after the one command any claim-first guard must await before
// it runs (the claim's own SET NX PX GET, on the same connection), with no guard code at all.
const prefix = process.env.PREFIX ?? 'gi-bench';
const floor = async (_, args) => {
  await redis.set(`${prefix}:floor:${args.idempotencyKey}`, '1', 'PX', 30_000, 'NX', 'GET');
  return create(_, args);
};
const yoga = createYoga({
  schema: createSchema({
    typeDefs,
    resolvers: { Query: { ok: () => true }, Mutation: { plain: create, guarded: create, floor } },
  }),
  plugins: [
    useIdempotency({ guard }),
    // One shared key space here (no callers), so every request has the same identity.
    ...(replay ? [useResponseReplay({ guard, operations: ['guarded'], identity: () => '', ttlMs: 60_000 })] : []),
  ],
  logging: false,
  maskedErrors: false,
});
redis.ping().then(() => {
  const server = createServer(yoga);
  server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
});
