import { execute, parse } from 'graphql';
import { Arg, Mutation, Query, Resolver, buildSchema } from 'type-graphql';
import { IdempotencyGuard, MemoryClaimStore, idempotentDirective, replayPolicy } from '../src';
import { Idempotent } from '../src/type-graphql';

// Claims are scoped by the policy's operation: two @Idempotent mutations given one policy shared one
// key space, and cancelOrder(key K) after createOrder(key K) answered "created 1" without running.
const orderPolicy = replayPolicy('order', { scope: () => '' });
const ran: string[] = [];

@Resolver()
class SharedOperationResolver {
  @Query(() => String)
  ping(): string {
    return 'pong';
  }

  @Idempotent(orderPolicy)
  @Mutation(() => String)
  createOrder(@Arg('idempotencyKey', () => String) _key: string): string {
    ran.push('create');
    return 'created 1';
  }

  @Idempotent(orderPolicy)
  @Mutation(() => String)
  cancelOrder(@Arg('idempotencyKey', () => String) _key: string): string {
    ran.push('cancel');
    return 'cancelled 1';
  }
}

describe('@Idempotent mutations whose policies share one operation', () => {
  it("fails the second field with an error naming both, never answering it with the first's result", async () => {
    const schema = await buildSchema({ resolvers: [SharedOperationResolver], directives: [idempotentDirective] });
    const guard = new IdempotencyGuard(new MemoryClaimStore(), {
      leaseMs: 30_000,
      retentionMs: 60_000,
      retryAfterMs: 200,
      storeTimeoutMs: 1_000,
    });
    const send = (field: string) =>
      execute({
        schema,
        document: parse(`mutation { ${field}(idempotencyKey: "order-key-0001") }`),
        contextValue: { idempotencyGuard: guard },
      });
    expect((await send('createOrder')).data).toEqual({ createOrder: 'created 1' });
    const cancelled = await send('cancelOrder');
    expect(cancelled.errors?.map((error) => error.message)).toEqual([
      expect.stringContaining(
        '@Idempotent: Mutation.createOrder and Mutation.cancelOrder share the policy operation "order"',
      ),
    ]);
    expect(ran).toEqual(['create']);
  });
});
