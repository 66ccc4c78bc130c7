import { randomUUID } from 'node:crypto';
import { scanForDuplicates } from '../../src/order-index/duplicate-scan';
import type { DuplicateGroup } from '../../src/order-index/duplicate-scan';
import { seedProducts } from '../support/catalog';
import { post, signDelivery } from '../support/channels';
import { postGraphQL } from '../support/graphql-client';
import { withTestServer } from '../support/test-server-fixture';

const SECRET = 'acme-webhook-secret-for-tests';
const CREATE_ORDER = `
  mutation CreateOrder($key: String!, $input: CreateOrderInput!) {
    createOrder(idempotencyKey: $key, input: $input) {
      __typename
      ... on OrderCreated { order { id channel } }
      ... on PossibleDuplicate { similarity reasons candidate { id channel } }
    }
  }`;
const DUPLICATE_ATTEMPTS = `query ($customerId: ID) {
  duplicateAttempts(customerId: $customerId) { outcome channel relatedChannel orderId relatedOrderId idempotencyKey } }`;

type CreateOrderAnswer = {
  __typename: string;
  order?: { id: string; channel: string };
  candidate?: { id: string; channel: string };
  reasons?: string[];
};

const fixture = withTestServer('cross-channel', {
  SEMANTIC_DUPLICATE_POLICY: 'HOLD,MARKETPLACE:FLAG',
  MARKETPLACE_WEBHOOK_SECRETS: `acme=${SECRET}`,
});

beforeAll(async () => {
  await seedProducts(fixture.db.url, [
    { sku: 'XC-TEA', priceCents: 450, stock: 1_000 },
    { sku: 'XC-CUP', priceCents: 900, stock: 1_000 },
  ]);
  // Web and call centre hold a possible duplicate; a marketplace order (nobody can confirm a webhook) is flagged.
});

const address = {
  name: 'Grace Hopper',
  line1: '221 North Avenue',
  line2: 'Suite 5',
  city: 'Arlington',
  postalCode: '22201',
  country: 'us',
};
/** What a call-centre agent types for the same address. */
const retyped = {
  name: 'G. Hopper',
  line1: '221 N. Ave',
  line2: 'ste 5',
  city: 'ARLINGTON',
  postalCode: '22-201',
  country: 'US',
};
const items = [
  { sku: 'XC-TEA', quantity: 2 },
  { sku: 'XC-CUP', quantity: 1 },
];

async function createOrder(
  customerId: string,
  channel: string,
  shippingAddress: object,
  lines = items,
): Promise<CreateOrderAnswer> {
  const token = await fixture.server.tokenFor(customerId);
  const input = { currency: 'EUR', channel, shippingAddress, items: lines };
  const response = await postGraphQL<{ createOrder: CreateOrderAnswer }>(
    fixture.server.url,
    CREATE_ORDER,
    { key: `xc-${randomUUID()}`, input },
    { token },
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.createOrder;
}

async function duplicateAttempts(customerId: string): Promise<Record<string, string | null>[]> {
  await fixture.server.app.services.auditLog.flush();
  const admin = await fixture.server.tokenFor('auditor', 'admin');
  const response = await postGraphQL<{ duplicateAttempts: Record<string, string | null>[] }>(
    fixture.server.url,
    DUPLICATE_ATTEMPTS,
    { customerId },
    { token: admin },
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.duplicateAttempts;
}

describe('cross-channel duplicates', () => {
  it('holds a web order re-keyed by the call centre with a reformatted address, and the audit names both channels', async () => {
    const customer = `xc-grace-${randomUUID()}`;
    const web = await createOrder(customer, 'WEB', address);
    expect(web.__typename).toBe('OrderCreated');

    // The call-centre tool speaks GraphQL for the customer, with its own channel (API: see docs/channels.md).
    const callCentre = await createOrder(customer, 'API', retyped, [...items].reverse());
    expect(callCentre).toMatchObject({
      __typename: 'PossibleDuplicate',
      candidate: { id: web.order!.id, channel: 'WEB' },
    });
    expect(callCentre.reasons).toEqual(
      expect.arrayContaining(['same items and quantities', 'same shipping address', 'same customer']),
    );
    const orders = await fixture.db.query<{ channel: string }>(
      `SELECT "channel" FROM "Order" WHERE "customerId" = $1`,
      [customer],
    );
    expect(orders).toEqual([{ channel: 'WEB' }]);

    expect(await duplicateAttempts(customer)).toEqual([
      expect.objectContaining({
        outcome: 'possible_duplicate_held',
        channel: 'API',
        relatedChannel: 'WEB',
        relatedOrderId: web.order!.id,
        orderId: null,
      }),
    ]);
  });

  it('flags the same basket arriving from a marketplace (its policy is FLAG): created, marked, in the audit and the scan report with both channels', async () => {
    const customer = `xc-ada-${randomUUID()}`;
    const web = await createOrder(customer, 'WEB', address);
    const orderId = `MKT-${randomUUID()}`;
    const body = JSON.stringify({ orderId, customerId: customer, currency: 'EUR', items, shippingAddress: retyped });
    const delivered = await post(
      fixture.server.url,
      '/channels/marketplace/acme/orders',
      body,
      signDelivery(SECRET, body),
    );
    expect(delivered.json).toMatchObject({ status: 'created', possibleDuplicateOfId: web.order!.id });
    const marketplaceOrderId = delivered.json['orderId'] as string;

    expect(await duplicateAttempts(customer)).toEqual([
      expect.objectContaining({
        outcome: 'possible_duplicate_flagged',
        channel: 'MARKETPLACE',
        relatedChannel: 'WEB',
        orderId: marketplaceOrderId,
        relatedOrderId: web.order!.id,
        idempotencyKey: `marketplace:acme:${orderId}`,
      }),
    ]);

    const groups: DuplicateGroup[] = [];
    await scanForDuplicates(fixture.server.app.prisma, { onGroup: (group) => void groups.push(group) });
    const group = groups.find((candidate) => candidate.survivor.orderId === web.order!.id);
    expect(group).toEqual({
      survivor: { orderId: web.order!.id, channel: 'WEB', externalId: null },
      duplicates: [{ orderId: marketplaceOrderId, channel: 'MARKETPLACE', externalId: orderId }],
      similarity: expect.any(Number),
      reasons: expect.arrayContaining(['same items and quantities', 'same shipping address']),
    });
  });
});
