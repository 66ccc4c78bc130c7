import { randomUUID } from 'node:crypto';
import { OrderGateClient } from '../../../src/client';
import { withTestServer } from '../../support/test-server-fixture';
import { holdOne } from './held-order-client';
import { placeOrders, seedProduct, stockOf } from './lifecycle-client';

const fixture = withTestServer('sdk-lifecycle');

async function clientOf(customerId: string, role: 'customer' | 'admin' = 'customer'): Promise<OrderGateClient> {
  return new OrderGateClient({
    url: `${fixture.server.url}/graphql`,
    authToken: await fixture.server.tokenFor(customerId, role),
    customerId,
  });
}

describe('the SDK’s lifecycle calls', () => {
  it('cancel with one key per intent: a retry with the key gets the first answer, a new intent is refused OrderAlreadyCancelled (ok: false)', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'SDK-C', 10, 400);
    const [orderId] = await placeOrders(server, 'SDK-C', 1, 2, () => 'sdk-cleo');
    const client = await clientOf('sdk-cleo');
    const first = await client.cancelOrder(orderId, 'wrong size');
    expect(first).toMatchObject({ ok: true, attempts: 1, answer: { __typename: 'OrderCancelled', detectedBy: null } });
    const retry = await client.cancelOrder(orderId, 'wrong size', { idempotencyKey: first.idempotencyKey });
    expect(retry).toMatchObject({ ok: true, answer: { __typename: 'OrderCancelled', detectedBy: 'CACHE' } });
    const other = await client.cancelOrder(orderId, 'again');
    expect(other).toMatchObject({ ok: false, failure: { kind: 'OrderAlreadyCancelled', order: { id: orderId } } });
    expect(other).not.toHaveProperty('answer');
    expect(await client.cancelOrder(randomUUID(), 'no such order')).toMatchObject({
      ok: false,
      attempts: 1,
      failure: { kind: 'OrderNotFound' },
    });
    expect(other.idempotencyKey).not.toBe(first.idempotencyKey);
    expect(await stockOf(db, 'SDK-C')).toBe(10);
  });

  it('refunds, adjusts stock and changes an address: the change ok, each refusal ok: false with its kind; a customer’s admin call is Rejected FORBIDDEN', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'SDK-R', 10, 400);
    const [orderId] = await placeOrders(server, 'SDK-R', 1, 2, () => 'sdk-ria');
    const admin = await clientOf('sdk-admin', 'admin');
    expect(await admin.refundOrder(orderId, { lines: [{ sku: 'SDK-R', quantity: 1 }] })).toMatchObject({
      ok: true,
      answer: { __typename: 'OrderRefunded', refundedCents: 400 },
    });
    expect(await admin.refundOrder(orderId, { amountCents: 401 })).toMatchObject({
      ok: false,
      failure: { kind: 'RefundExceedsPaid', paidCents: 800, refundedCents: 400, requestedCents: 401 },
    });
    expect(await admin.refundOrder(orderId, { amountCents: -1 })).toMatchObject({
      ok: false,
      failure: { kind: 'ValidationFailed', field: 'amountCents' },
    });
    expect(await admin.adjustInventory('SDK-R', -9, 'recount')).toMatchObject({
      ok: false,
      failure: { kind: 'StockWouldGoNegative', stock: 8, delta: -9 },
    });
    const customer = await clientOf('sdk-ria');
    expect(
      await customer.changeShippingAddress(orderId, {
        line1: '9 Via Roma',
        city: 'Torino',
        postalCode: '10121',
        country: 'IT',
      }),
    ).toMatchObject({ ok: true, answer: { __typename: 'ShippingAddressChanged', order: { id: orderId } } });
    const cancelKey = (await customer.cancelOrder(orderId, 'moved')).idempotencyKey;
    expect(
      await customer.changeShippingAddress(orderId, {
        line1: '1 Rue Neuve',
        city: 'Lyon',
        postalCode: '69001',
        country: 'FR',
      }),
    ).toMatchObject({ ok: false, failure: { kind: 'OrderNotOpen', order: { id: orderId, status: 'CANCELLED' } } });
    expect(await customer.cancelOrder(orderId, 'another reason', { idempotencyKey: cancelKey })).toMatchObject({
      ok: false,
      failure: { kind: 'IdempotencyKeyReused', idempotencyKey: cancelKey },
    });
    expect(await customer.adjustInventory('SDK-R', 1, 'x')).toMatchObject({
      ok: false,
      failure: { kind: 'Rejected', code: 'FORBIDDEN' },
    });
  });

  it('releases and dismisses held orders (admins): the change ok, a held order already resolved ok: false, one key per intent', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'SDK-H', 10, 400);
    const admin = await clientOf('sdk-admin', 'admin');
    const released = await holdOne(server, 'sdk-hugo', 'SDK-H');
    const first = await admin.releaseHeldOrder(released.heldOrderId);
    expect(first).toMatchObject({
      ok: true,
      answer: { __typename: 'HeldOrderReleased', detectedBy: null, heldOrder: { status: 'RELEASED' } },
    });
    const retry = await admin.releaseHeldOrder(released.heldOrderId, { idempotencyKey: first.idempotencyKey });
    expect(retry).toMatchObject({ ok: true, answer: { __typename: 'HeldOrderReleased', detectedBy: 'CACHE' } });
    expect(await admin.dismissHeldOrder(released.heldOrderId, 'too late')).toMatchObject({
      ok: false,
      failure: { kind: 'HeldOrderAlreadyResolved', heldOrder: { status: 'RELEASED' } },
    });
    const dropped = await holdOne(server, 'sdk-ines', 'SDK-H', 1);
    expect(await admin.dismissHeldOrder(dropped.heldOrderId, 'a double click')).toMatchObject({
      ok: true,
      answer: { __typename: 'HeldOrderDismissed', reason: 'a double click', heldOrder: { status: 'DISMISSED' } },
    });
    const customer = await clientOf('sdk-ines');
    expect(await customer.releaseHeldOrder(dropped.heldOrderId)).toMatchObject({
      ok: false,
      failure: { kind: 'Rejected', code: 'FORBIDDEN' },
    });
    expect(await stockOf(db, 'SDK-H')).toBe(10 - 2 - 2 - 1);
  });
});
