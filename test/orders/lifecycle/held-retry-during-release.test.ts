import { ReleaseHeldOrderDocument } from '../../../src/client/generated';
import { postOperation } from '../../support/graphql-client';
import { newKey } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { heldRow, holdOne, ordersUnderKey, placeOrder } from './held-order-client';
import { seedProduct } from './lifecycle-client';

/**
 * A customer's retry of a held key with another cart, while an admin releases that held order.
 * The retry's insert places nothing (the key holds other content); its answer is then read from
 * the database: the key's order, then its held request, each in a snapshot of its own. A release
 * committing between the two reads left both empty, and the retry was answered
 * INTERNAL_SERVER_ERROR ("The order conflicted, but the order it conflicted with could not be
 * read"). Seen in storms (a release, the candidate's cancel, a retry and stock adjustments per held
 * order: 4 runs of 6 with 12 held orders on a loaded machine); here the release is made to commit
 * exactly there, with the real server, database and release: the read of the key's order, once it
 * found nothing, waits for the release before answering.
 */
const fixture = withTestServer('held-retry-during-release', { SEMANTIC_DUPLICATE_POLICY: 'HOLD' });

it('answers a retry with another cart IdempotencyKeyReused when the release commits while its answer is read', async () => {
  const { server, db } = fixture;
  await seedProduct(db, 'RDR-HELD', 100, 100);
  await seedProduct(db, 'RDR-OTHER', 100, 100);
  const admin = await server.tokenFor('rdr-admin', 'admin');
  const { heldOrderId, heldKey } = await holdOne(server, 'rdr-customer', 'RDR-HELD', 2);
  const { orders } = server.app.services;
  const readKeyOrder = orders.findForCustomerByKey.bind(orders);
  let released: unknown = null;
  const between = jest.spyOn(orders, 'findForCustomerByKey').mockImplementation(async (customerId, key) => {
    const found = await readKeyOrder(customerId, key);
    if (found || key !== heldKey || released) return found;
    const response = await postOperation(
      server.url,
      ReleaseHeldOrderDocument,
      { heldOrderId, key: newKey('release') },
      { token: admin },
    );
    released = response.body.data?.releaseHeldOrder.__typename ?? response.body.errors;
    return found;
  });
  try {
    const retry = await placeOrder(server, 'rdr-customer', heldKey, 'RDR-OTHER', 1);
    expect([released, retry.__typename]).toEqual(['HeldOrderReleased', 'IdempotencyKeyReused']);
  } finally {
    between.mockRestore();
  }
  expect((await heldRow(db, heldOrderId)).status).toBe('RELEASED');
  expect(await ordersUnderKey(db, 'rdr-customer', heldKey)).toHaveLength(1);
});
