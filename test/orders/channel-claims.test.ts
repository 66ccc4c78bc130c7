import { seedProducts } from '../support/catalog';
import { postGraphQL } from '../support/graphql-client';
import { newKey } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';

// Each channel's duplicate policy is the operator's: found from outside, a customer naming POS
// (policy OFF there) or MARKETPLACE (FLAG) escaped the HOLD meant for a web checkout.
const fixture = withTestServer('channel-claims', { SEMANTIC_DUPLICATE_POLICY: 'HOLD,MARKETPLACE:FLAG,POS:OFF' });

const CREATE = `mutation($key: String!, $input: CreateOrderInput!) {
  createOrder(idempotencyKey: $key, input: $input) {
    __typename
    ... on OrderCreated { order { id channel } }
    ... on ValidationFailed { field message }
  }
}`;

type Answer = { __typename: string; field?: string; order?: { channel: string } };

async function order(bearer: string, channel: string, quantity = 1): Promise<Answer> {
  // A quantity of its own per order: the same cart again would be held as a possible duplicate.
  const input = { currency: 'EUR', channel, items: [{ sku: 'CHAN-1', quantity }] };
  const response = await postGraphQL<{ createOrder: Answer }>(
    fixture.server.url,
    CREATE,
    { key: newKey('ch'), input },
    { token: bearer },
  );
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!.createOrder;
}

const ordersOf = async (customerId: string) =>
  (
    await fixture.db.query<{ n: number }>('SELECT count(*)::int AS n FROM "Order" WHERE "customerId" = $1', [
      customerId,
    ])
  )[0].n;

describe("a GraphQL createOrder's channel", () => {
  beforeAll(() => seedProducts(fixture.db.url, [{ sku: 'CHAN-1', priceCents: 100, stock: 100 }]));

  it.each(['POS', 'MARKETPLACE'])(
    'is refused as %s for a customer (ValidationFailed, field channel), and nothing is written',
    async (channel) => {
      const customer = await fixture.server.tokenFor(`claims-${channel}`);
      expect(await order(customer, channel)).toMatchObject({ __typename: 'ValidationFailed', field: 'channel' });
      expect(await ordersOf(`claims-${channel}`)).toBe(0);
    },
  );

  it('is any of WEB, MOBILE and API for a customer, and any channel for an admin', async () => {
    const customer = await fixture.server.tokenFor('claims-ok');
    for (const [index, channel] of ['WEB', 'MOBILE', 'API'].entries())
      expect(await order(customer, channel, index + 1)).toMatchObject({
        __typename: 'OrderCreated',
        order: { channel },
      });
    const admin = await fixture.server.tokenFor('claims-admin', 'admin');
    expect(await order(admin, 'POS')).toMatchObject({ __typename: 'OrderCreated', order: { channel: 'POS' } });
  });
});
