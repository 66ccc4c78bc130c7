import { request } from '../support/http';
import { newKey } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';
import { placeOrder } from '../orders/lifecycle/held-order-client';
import { seedProduct } from '../orders/lifecycle/lifecycle-client';

// Why Redis down is "degraded" and not 503 on /readyz: the instance still takes orders, the
// database deciding each one (found from outside, stop 39: a load balancer following /readyz
// pulled every instance for a Redis outage). Nothing listens on port 1.
const fixture = withTestServer('readiness-without-redis', { REDIS_URL: 'redis://127.0.0.1:1' });

describe('an instance whose Redis is unreachable', () => {
  it('says degraded on /readyz, stays in rotation, and places one order per key', async () => {
    const ready = await request(fixture.server.url, '/readyz');
    expect([ready.status, JSON.parse(ready.text)]).toEqual([
      200,
      { status: 'degraded', down: ['redis'], checks: { postgres: 'up', redis: 'down' } },
    ]);
    await seedProduct(fixture.db, 'READY-1', 10);
    const key = newKey('ready');
    const placed = await placeOrder(fixture.server, 'rhea', key, 'READY-1', 1);
    const again = await placeOrder(fixture.server, 'rhea', key, 'READY-1', 1);
    expect(placed.__typename).toBe('OrderCreated');
    expect(again).toMatchObject({ __typename: 'DuplicateDetected', originalOrder: { id: placed.order!.id } });
  });
});
