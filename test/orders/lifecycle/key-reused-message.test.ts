import { post } from '../../support/channels';
import { createOrder, newKey } from '../../support/order-client';
import { deleteRedisPrefix } from '../../support/redis';
import { withTestServer } from '../../support/test-server-fixture';
import { holdOne } from './held-order-client';
import {
  adjustInventory,
  cancelOrder,
  changeShippingAddress,
  dismissHeldOrder,
  placeOrders,
  refundOrder,
  releaseHeldOrder,
  seedProduct,
} from './lifecycle-client';
import type { LifecycleAnswer } from './lifecycle-client';

// IdempotencyKeyReused tells the caller what a new key is for: createOrder's "a new order", each
// lifecycle mutation its own change, through GraphQL and REST, from Redis and from the database.

const fixture = withTestServer('key-reused-message');
const REUSED = 'This idempotency key was already used with a different request. Use a new key for a new';

/**
 * One operation: its first call under a key (variant 0), then the same key with other arguments
 * (variant 1: another body, or another subject).
 */
interface Operation {
  intent: string;
  graphql(key: string, variant: 0 | 1): Promise<LifecycleAnswer>;
  rest: { paths: [string, string]; bodies: [unknown, unknown] };
}

describe('IdempotencyKeyReused’s message', () => {
  let operations: Record<string, Operation>;
  let admin: string;
  let customer: string;

  beforeAll(async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'KR-A', 100);
    await seedProduct(db, 'KR-H', 100);
    // One customer's three orders, of different quantities (the same cart again would be held).
    const [cancelled] = await placeOrders(server, 'KR-A', 1, 1, () => 'kr-cora');
    const [open] = await placeOrders(server, 'KR-A', 1, 2, () => 'kr-cora');
    const [restCancelled] = await placeOrders(server, 'KR-A', 1, 3, () => 'kr-cora');
    const [released, dismissed, restReleased, restDismissed] = await Promise.all(
      ['kr-hana', 'kr-ivo', 'kr-rhea', 'kr-rolf'].map((who) => holdOne(server, who, 'KR-H')),
    );
    admin = await server.tokenFor('kr-admin', 'admin');
    customer = await server.tokenFor('kr-cora');
    const url = server.url;
    const address = (city: string) => ({ line1: 'Rue 1', city, postalCode: '69001', country: 'FR' });
    operations = {
      cancelOrder: {
        intent: 'cancellation',
        graphql: (key, v) => cancelOrder(url, customer, { orderId: cancelled, key, reason: `r${v}` }),
        rest: { paths: [`/api/v1/orders/${restCancelled}/cancel`, ''], bodies: [{ reason: 'r0' }, { reason: 'r1' }] },
      },
      refundOrder: {
        intent: 'refund',
        graphql: (key, v) => refundOrder(url, admin, { orderId: open, key, amountCents: 10 + v }),
        rest: { paths: [`/api/v1/orders/${open}/refunds`, ''], bodies: [{ amountCents: 20 }, { amountCents: 21 }] },
      },
      changeShippingAddress: {
        intent: 'address change',
        graphql: (key, v) => changeShippingAddress(url, customer, { orderId: open, key, address: address(`c${v}`) }),
        rest: {
          paths: [`/api/v1/orders/${open}/shipping-address`, ''],
          bodies: [{ address: address('d0') }, { address: address('d1') }],
        },
      },
      adjustInventory: {
        intent: 'stock adjustment',
        graphql: (key, v) => adjustInventory(url, admin, { sku: 'KR-A', delta: 1 + v, key, reason: 'kr' }),
        rest: {
          paths: ['/api/v1/inventory/KR-A/adjustments', ''],
          bodies: [
            { delta: 3, reason: 'kr' },
            { delta: 4, reason: 'kr' },
          ],
        },
      },
      releaseHeldOrder: {
        intent: 'release',
        graphql: (key, v) =>
          releaseHeldOrder(url, admin, { heldOrderId: v ? dismissed.heldOrderId : released.heldOrderId, key }),
        rest: {
          paths: [
            `/api/v1/held-orders/${restReleased.heldOrderId}/release`,
            `/api/v1/held-orders/${restDismissed.heldOrderId}/release`,
          ],
          bodies: [{}, {}],
        },
      },
      dismissHeldOrder: {
        intent: 'dismissal',
        graphql: (key, v) => dismissHeldOrder(url, admin, { heldOrderId: dismissed.heldOrderId, key, reason: `r${v}` }),
        rest: {
          paths: [`/api/v1/held-orders/${restDismissed.heldOrderId}/dismiss`, ''],
          bodies: [{ reason: 'r0' }, { reason: 'r1' }],
        },
      },
    };
  });

  const graphqlKeys: Record<string, string> = {};

  it('GraphQL: each lifecycle mutation names its own change, from Redis and from the database', async () => {
    const messages: Record<string, string[]> = {};
    for (const [name, operation] of Object.entries(operations)) {
      graphqlKeys[name] = newKey(`kr-${name}`);
      const first = await operation.graphql(graphqlKeys[name], 0);
      expect([name, first.__typename]).not.toEqual([name, 'IdempotencyKeyReused']);
      messages[name] = [String((await operation.graphql(graphqlKeys[name], 1))['message'])];
    }
    // Without the claims in Redis, the database's AppliedChange row answers the reused key.
    await deleteRedisPrefix(fixture.server.config.redisKeyPrefix);
    for (const [name, operation] of Object.entries(operations))
      messages[name].push(String((await operation.graphql(graphqlKeys[name], 1))['message']));
    for (const [name, operation] of Object.entries(operations))
      expect([name, messages[name]]).toEqual([name, Array(2).fill(`${REUSED} ${operation.intent}.`)]);
  });

  it('REST: each route’s 422 IDEMPOTENCY_KEY_REUSED names its own change', async () => {
    const call = (path: string, token: string, key: string, body: unknown) =>
      post(fixture.server.url, path, JSON.stringify(body), {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'idempotency-key': key,
      });
    for (const [name, { intent, rest }] of Object.entries(operations)) {
      const key = newKey(`kr-rest-${name}`);
      const token = name === 'cancelOrder' || name === 'changeShippingAddress' ? customer : admin;
      const first = await call(rest.paths[0], token, key, rest.bodies[0]);
      expect([name, first.status < 300]).toEqual([name, true]);
      const reused = await call(rest.paths[1] || rest.paths[0], token, key, rest.bodies[1]);
      expect([name, reused.status, reused.json['code'], reused.json['detail']]).toEqual([
        name,
        422,
        'IDEMPOTENCY_KEY_REUSED',
        `${key} already stands for a request with other content. Use a new key for a new ${intent}.`,
      ]);
    }
  });

  it('createOrder keeps its own: a new key for a new order', async () => {
    const key = newKey('kr-order');
    const cart = (quantity: number) => ({ currency: 'EUR', items: [{ sku: 'KR-A', quantity }] });
    await createOrder(fixture.server, { customerId: 'kr-olga' }, key, cart(1));
    const reused = await createOrder(fixture.server, { customerId: 'kr-olga' }, key, cart(2));
    expect(reused).toMatchObject({ __typename: 'IdempotencyKeyReused', message: `${REUSED} order.` });
  });
});
