import { randomBytes, randomUUID } from 'node:crypto';
import { verifyStandardWebhook } from '../../src/channels/webhook-signature';
import { loadConfig } from '../../src/config/config';
import { seedProducts, stockOf } from '../support/catalog';
import { ordersOfIdentity, post, signDelivery, signStandardDelivery } from '../support/channels';
import { withTestServer } from '../support/test-server-fixture';

const secret = () => `whsec_${randomBytes(24).toString('base64')}`;
const SECRET = secret();
const HMAC_SECRET = 'acme-webhook-secret-for-tests';

const fixture = withTestServer('standard-webhooks', {
  MARKETPLACE_WEBHOOK_SECRETS: `bazaar=${SECRET},acme=${HMAC_SECRET}`,
  MARKETPLACE_WEBHOOK_SCHEMES: 'bazaar=standard-webhooks',
});

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'SW-1', priceCents: 300, stock: 1_000 }]);
});

const orderBody = (orderId: string, quantity = 2) =>
  JSON.stringify({ orderId, customerId: `buyer-${orderId}`, currency: 'EUR', items: [{ sku: 'SW-1', quantity }] });

const deliver = (source: string, body: string, headers: Record<string, string>) =>
  post(fixture.server.url, `/channels/marketplace/${source}/orders`, body, headers);

describe('Standard Webhooks deliveries (a source with MARKETPLACE_WEBHOOK_SCHEMES=…=standard-webhooks)', () => {
  it('accepts a valid delivery, and keys it by its webhook-id', async () => {
    const orderId = `SW-${randomUUID()}`;
    const id = `msg_${randomUUID()}`;
    const body = orderBody(orderId);
    const answer = await deliver('bazaar', body, signStandardDelivery(SECRET, id, body));
    expect([answer.status, answer.json['status']]).toEqual([200, 'created']);
    const orders = await ordersOfIdentity(fixture.db, 'MARKETPLACE', 'bazaar', orderId);
    expect(orders.map((order) => order.id)).toEqual([answer.json['orderId']]);
    const [stored] = await fixture.db.query<{ idempotencyKey: string }>(
      `SELECT "idempotencyKey" FROM "Order" WHERE "id" = $1`,
      [orders[0].id],
    );
    expect(stored.idempotencyKey).toBe(`marketplace.delivery:bazaar:${id}`);
  });

  it('refuses forged, stale, future, altered, half-signed and other-scheme deliveries with 401, writing nothing', async () => {
    const orderId = `SW-${randomUUID()}`;
    const id = `msg_${randomUUID()}`;
    const body = orderBody(orderId);
    const now = Math.floor(Date.now() / 1000);
    const stockBefore = await stockOf(fixture.db, 'SW-1');
    const { 'webhook-id': _id, ...withoutId } = signStandardDelivery(SECRET, id, body);
    const attempts = {
      forged: await deliver('bazaar', body, signStandardDelivery(secret(), id, body)),
      stale: await deliver('bazaar', body, signStandardDelivery(SECRET, id, body, now - 6 * 60)),
      future: await deliver('bazaar', body, signStandardDelivery(SECRET, id, body, now + 6 * 60)),
      altered: await deliver(
        'bazaar',
        body.replace('"quantity":2', '"quantity":20'),
        signStandardDelivery(SECRET, id, body),
      ),
      otherId: await deliver('bazaar', body, { ...signStandardDelivery(SECRET, id, body), 'webhook-id': `${id}-x` }),
      withoutId: await deliver('bazaar', body, withoutId),
      otherScheme: await deliver('bazaar', body, signDelivery(SECRET, body)),
    };
    const codes = Object.fromEntries(
      Object.entries(attempts).map(([name, answer]) => [name, `${answer.status} ${String(answer.json['code'])}`]),
    );
    expect(codes).toEqual({
      forged: '401 BAD_SIGNATURE',
      stale: '401 STALE_TIMESTAMP',
      future: '401 STALE_TIMESTAMP',
      altered: '401 BAD_SIGNATURE',
      otherId: '401 BAD_SIGNATURE',
      withoutId: '401 MISSING_SIGNATURE',
      otherScheme: '401 MISSING_SIGNATURE',
    });
    expect(await ordersOfIdentity(fixture.db, 'MARKETPLACE', 'bazaar', orderId)).toEqual([]);
    expect(await stockOf(fixture.db, 'SW-1')).toBe(stockBefore);
    // The same body, genuinely signed now, goes in: the refusals were about the signature alone.
    expect((await deliver('bazaar', body, signStandardDelivery(SECRET, id, body))).json['status']).toBe('created');
  });

  it('answers a redelivery (same webhook-id, signed anew) with the same order, from the claim; one order', async () => {
    const orderId = `SW-${randomUUID()}`;
    const id = `msg_${randomUUID()}`;
    const body = orderBody(orderId);
    const now = Math.floor(Date.now() / 1000);
    const first = await deliver('bazaar', body, signStandardDelivery(SECRET, id, body, now - 60));
    const again = await deliver('bazaar', body, signStandardDelivery(SECRET, id, body, now));
    expect(first.json).toMatchObject({ status: 'created' });
    expect(again.json).toEqual({ status: 'duplicate', orderId: first.json['orderId'], detectedBy: 'CACHE' });
    // Another delivery of the same order (a new webhook-id) is stopped by the order's identity.
    const other = await deliver('bazaar', body, signStandardDelivery(SECRET, `msg_${randomUUID()}`, body));
    expect(other.json).toEqual({ status: 'duplicate', orderId: first.json['orderId'], detectedBy: 'DATABASE' });
    // The same webhook-id with other content is not a redelivery: the key was reused.
    const changed = orderBody(orderId, 5);
    const reused = await deliver('bazaar', changed, signStandardDelivery(SECRET, id, changed));
    expect([reused.status, reused.json['code']]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await ordersOfIdentity(fixture.db, 'MARKETPLACE', 'bazaar', orderId)).toHaveLength(1);
  });

  it('names the key that stands for the order when a new webhook-id brings other content for it, not the new one', async () => {
    // The detail named the new delivery's key, one that never stood for anything, as "already
    // stands for a request with other content": the integrator looked for a webhook-id reused that
    // was not (found from outside). What is taken is the order, under its first delivery's key.
    const orderId = `SW-${randomUUID()}`;
    const [firstId, newId] = [`msg_${randomUUID()}`, `msg_${randomUUID()}`];
    const body = orderBody(orderId);
    expect((await deliver('bazaar', body, signStandardDelivery(SECRET, firstId, body))).json['status']).toBe('created');
    const changed = orderBody(orderId, 5);
    const reused = await deliver('bazaar', changed, signStandardDelivery(SECRET, newId, changed));
    expect([reused.status, reused.json['code']]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(reused.json['detail']).toContain(`marketplace.delivery:bazaar:${firstId} already stands for`);
    expect(reused.json['detail']).not.toContain(newId);
  });

  it('names the held order and the key it was held under when a new webhook-id brings other content for a held order', async () => {
    // Found from outside: the 422 named the new delivery's key as "already stands for" other
    // content, and nothing else: the partner could find neither the held order nor its delivery.
    const customerId = `buyer-${randomUUID()}`;
    const body = (orderId: string, quantity = 1) =>
      JSON.stringify({ orderId, customerId, currency: 'EUR', items: [{ sku: 'SW-1', quantity }] });
    const [placed, heldOrder] = [`SW-${randomUUID()}`, `SW-${randomUUID()}`];
    const [heldId, newId] = [`msg_${randomUUID()}`, `msg_${randomUUID()}`];
    const created = await deliver(
      'bazaar',
      body(placed),
      signStandardDelivery(SECRET, `msg_${randomUUID()}`, body(placed)),
    );
    expect(created.json['status']).toBe('created');
    // The same basket of the same buyer moments later: held for an admin (HOLD by default).
    const held = await deliver('bazaar', body(heldOrder), signStandardDelivery(SECRET, heldId, body(heldOrder)));
    expect([held.status, held.json['status']]).toEqual([202, 'held']);
    const changed = body(heldOrder, 4);
    const reused = await deliver('bazaar', changed, signStandardDelivery(SECRET, newId, changed));
    expect([reused.status, reused.json['code'], reused.json['heldOrderId']]).toEqual([
      422,
      'IDEMPOTENCY_KEY_REUSED',
      held.json['heldOrderId'],
    ]);
    expect(reused.json['detail']).toContain(`marketplace.delivery:bazaar:${heldId} already stands for`);
    expect(reused.json['detail']).not.toContain(newId);
    expect(await ordersOfIdentity(fixture.db, 'MARKETPLACE', 'bazaar', heldOrder)).toEqual([]);
  });

  it('answers one webhook-id sent again for another marketplace order with the same basket as the key reused, not as the first order', async () => {
    const customerId = `buyer-${randomUUID()}`;
    const body = (orderId: string) =>
      JSON.stringify({ orderId, customerId, currency: 'EUR', items: [{ sku: 'SW-1', quantity: 1 }] });
    const id = `msg_${randomUUID()}`;
    const [first, second] = [`SW-${randomUUID()}`, `SW-${randomUUID()}`];
    const created = await deliver('bazaar', body(first), signStandardDelivery(SECRET, id, body(first)));
    expect(created.json['status']).toBe('created');
    const reused = await deliver('bazaar', body(second), signStandardDelivery(SECRET, id, body(second)));
    expect([reused.status, reused.json['code']]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await ordersOfIdentity(fixture.db, 'MARKETPLACE', 'bazaar', second)).toEqual([]);
    // Under its own webhook-id it meets the channel's policy: the same basket of the same buyer
    // moments after the first is held for an admin (HOLD by default), not lost.
    const own = await deliver(
      'bazaar',
      body(second),
      signStandardDelivery(SECRET, `msg_${randomUUID()}`, body(second)),
    );
    expect([own.status, own.json['status']]).toEqual([202, 'held']);
  });

  it('answers one webhook-id sent again for another order of another customer as the key reused', async () => {
    const id = `msg_${randomUUID()}`;
    const [first, second] = [`SW-${randomUUID()}`, `SW-${randomUUID()}`];
    const created = await deliver('bazaar', orderBody(first), signStandardDelivery(SECRET, id, orderBody(first)));
    expect([created.status, created.json['status']]).toEqual([200, 'created']);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const reused = await deliver('bazaar', orderBody(second), signStandardDelivery(SECRET, id, orderBody(second)));
      expect([reused.status, reused.json['code']]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    }
    expect(await ordersOfIdentity(fixture.db, 'MARKETPLACE', 'bazaar', second)).toEqual([]);
    const again = await deliver('bazaar', orderBody(first), signStandardDelivery(SECRET, id, orderBody(first)));
    expect([again.json['status'], again.json['orderId']]).toEqual(['duplicate', created.json['orderId']]);
  });

  it('makes one order of 10 racing deliveries of one webhook-id naming 10 orders of 10 customers; the others 422', async () => {
    const id = `msg_${randomUUID()}`;
    const bodies = Array.from({ length: 10 }, () => orderBody(`SW-${randomUUID()}`));
    const answers = await Promise.all(
      bodies.map((body) => deliver('bazaar', body, signStandardDelivery(SECRET, id, body))),
    );
    const outcomes = answers.map(
      (answer) => `${answer.status} ${String(answer.json[answer.status === 200 ? 'status' : 'code'])}`,
    );
    expect(outcomes.sort()).toEqual(['200 created', ...Array<string>(9).fill('422 IDEMPOTENCY_KEY_REUSED')]);
    const orders = await fixture.db.query<{ id: string }>(`SELECT "id" FROM "Order" WHERE "idempotencyKey" = $1`, [
      `marketplace.delivery:bazaar:${id}`,
    ]);
    expect(orders.map((order) => order.id)).toEqual([answers.find((answer) => answer.status === 200)!.json['orderId']]);
  });

  it('makes one order of a storm of 40 copies of one delivery, every answer naming it', async () => {
    const orderId = `SW-${randomUUID()}`;
    const body = orderBody(orderId, 3);
    const headers = signStandardDelivery(SECRET, `msg_${randomUUID()}`, body);
    const stockBefore = await stockOf(fixture.db, 'SW-1');
    const answers = await Promise.all(Array.from({ length: 40 }, () => deliver('bazaar', body, headers)));
    const orders = await ordersOfIdentity(fixture.db, 'MARKETPLACE', 'bazaar', orderId);
    expect(orders).toHaveLength(1);
    expect(answers.map((answer) => [answer.status, answer.json['orderId']])).toEqual(
      Array(40).fill([200, orders[0].id]),
    );
    expect(answers.filter((answer) => answer.json['status'] === 'created')).toHaveLength(1);
    expect(stockBefore - (await stockOf(fixture.db, 'SW-1'))).toBe(3);
  });

  it('keeps the HMAC scheme for a source not named in MARKETPLACE_WEBHOOK_SCHEMES', async () => {
    const body = orderBody(`SW-${randomUUID()}`);
    expect((await deliver('acme', body, signDelivery(HMAC_SECRET, body))).json['status']).toBe('created');
    const standard = await deliver('acme', body, signStandardDelivery(SECRET, `msg_${randomUUID()}`, body));
    expect([standard.status, standard.json['code']]).toEqual([401, 'MISSING_SIGNATURE']);
  });
});

describe('verifyStandardWebhook', () => {
  it('accepts any of a source’s secrets (rotation) and narrows the library’s 5 minutes to the configured tolerance', () => {
    const body = '{"orderId":"X"}';
    const now = Math.floor(Date.now() / 1000);
    const headers = signStandardDelivery(SECRET, 'msg_1', body, now - 120);
    const delivery = {
      id: headers['webhook-id'],
      timestamp: headers['webhook-timestamp'],
      signature: headers['webhook-signature'],
      body: Buffer.from(body),
    };
    expect(verifyStandardWebhook(delivery, [secret(), SECRET], Date.now(), 300_000)).toEqual({ ok: true });
    expect(verifyStandardWebhook(delivery, [secret()], Date.now(), 300_000)).toMatchObject({ code: 'BAD_SIGNATURE' });
    expect(verifyStandardWebhook(delivery, [SECRET], Date.now(), 60_000)).toMatchObject({ code: 'STALE_TIMESTAMP' });
  });
});

describe('MARKETPLACE_WEBHOOK_SCHEMES', () => {
  const load =
    (schemes: string, secrets = `bazaar=${SECRET}`) =>
    () =>
      loadConfig({ MARKETPLACE_WEBHOOK_SECRETS: secrets, MARKETPLACE_WEBHOOK_SCHEMES: schemes });

  it('says per source which scheme it uses, hmac-sha256 by default', () => {
    const { marketplaceSchemes } = load('bazaar=standard-webhooks')().channels;
    expect(marketplaceSchemes).toEqual(new Map([['bazaar', 'standard-webhooks']]));
    expect(loadConfig({}).channels.marketplaceSchemes.size).toBe(0);
  });

  it('stops the start on an unknown scheme, a source without secrets, or a secret that is not whsec_', () => {
    expect(load('bazaar=svix')).toThrow(
      /MARKETPLACE_WEBHOOK_SCHEMES: pair 1: expected source=hmac-sha256\|standard-webhooks/,
    );
    expect(load('other=standard-webhooks')).toThrow(/pair 1 \(other\): the source has no secret/);
    expect(load('bazaar=standard-webhooks', 'bazaar=a-plain-secret-of-16-chars')).toThrow(
      /pair 1 \(bazaar\): a standard-webhooks source's secrets must be whsec_/,
    );
    expect(load('bazaar=standard-webhooks', 'bazaar=a-plain-secret-of-16-chars')).not.toThrow(/a-plain-secret/);
  });
});
