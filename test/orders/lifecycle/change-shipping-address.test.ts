import { newKey, tally } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import {
  cancelOrder,
  changeShippingAddress,
  changesOf,
  labelOf,
  placeOrders,
  seedProduct,
  untilAnswered,
} from './lifecycle-client';

const fixture = withTestServer('change-address', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });

const address = (line1: string) => ({ name: 'Sam', line1, city: 'Lyon', postalCode: '69001', country: 'fr' });

async function addressOf(orderId: string): Promise<unknown> {
  const [row] = await fixture.db.query<{ shippingAddress: unknown }>(
    'SELECT "shippingAddress" FROM "Order" WHERE "id" = $1',
    [orderId],
  );
  return row.shippingAddress;
}

describe('changeShippingAddress', () => {
  it('changes the address of an open order once per key, and refuses a cancelled order with OrderNotOpen', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'ADDR-A', 10);
    const [orderId] = await placeOrders(server, 'ADDR-A', 1, 1, () => 'sam');
    const token = await server.tokenFor('sam');
    const key = newKey('address');
    const first = await changeShippingAddress(server.url, token, { orderId, key, address: address(' 1 Rue A ') });
    expect(first).toMatchObject({
      __typename: 'ShippingAddressChanged',
      detectedBy: null,
      order: { id: orderId, shippingAddress: { line1: '1 Rue A', country: 'FR' } },
    });
    const repeat = await changeShippingAddress(server.url, token, { orderId, key, address: address('1 Rue A') });
    expect(repeat).toMatchObject({ __typename: 'ShippingAddressChanged', detectedBy: 'CACHE' });
    expect(await addressOf(orderId)).toMatchObject({ line1: '1 Rue A' });
    expect(
      await changeShippingAddress(server.url, token, { orderId, key: newKey('address'), address: address('') }),
    ).toMatchObject({ __typename: 'ValidationFailed', field: 'address.line1' });

    await cancelOrder(server.url, token, { orderId, key: newKey('cancel'), reason: 'moved' });
    const closed = await changeShippingAddress(server.url, token, {
      orderId,
      key: newKey('address'),
      address: address('2 Rue B'),
    });
    expect(closed).toMatchObject({ __typename: 'OrderNotOpen', order: { id: orderId, status: 'CANCELLED' } });
    expect(await addressOf(orderId)).toMatchObject({ line1: '1 Rue A' });
  });

  it('under a storm (10 keys × 4 retrying clients on one order) applies each key once and ends on one of the sent addresses', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'ADDR-STORM', 10);
    const [orderId] = await placeOrders(server, 'ADDR-STORM', 1, 1, () => 'sue');
    const token = await server.tokenFor('sue');
    const intents = Array.from({ length: 10 }, (_, index) => ({
      key: newKey('address'),
      line1: `${index} Storm Street`,
    }));
    const clients = intents.flatMap((intent) => Array.from({ length: 4 }, () => intent));
    const answers = await Promise.all(
      clients.map(({ key, line1 }) =>
        untilAnswered(() => changeShippingAddress(server.url, token, { orderId, key, address: address(line1) })),
      ),
    );
    console.log(`address storm of ${answers.length} clients: ${JSON.stringify(tally(answers, labelOf))}`);
    expect(answers.every((answer) => answer.__typename === 'ShippingAddressChanged')).toBe(true);
    const changes = await changesOf(db, 'changeShippingAddress', [orderId]);
    expect(changes.map((change) => change.idempotencyKey).sort()).toEqual(intents.map((intent) => intent.key).sort());
    const [last] = await db.query<{ line1: string }>(
      `SELECT "details"->>'line1' AS "line1" FROM "AppliedChange" WHERE "orderId" = $1 AND "operation" = 'changeShippingAddress'
        ORDER BY "createdAt" DESC, "id" DESC LIMIT 1`,
      [orderId],
    );
    expect(await addressOf(orderId)).toMatchObject({ line1: last.line1 });
  });
});
