import { AdjustInventoryDocument, CancelOrderDocument, RefundOrderDocument } from '../../../src/client/generated';
import { post } from '../../support/channels';
import { request } from '../../support/http';
import { postOperation } from '../../support/graphql-client';
import { createOrder, newKey, orderIdOf } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { expectDocumentedAnswers } from './documented-answers';
import type { SeenAnswer } from './documented-answers';
import { placeOrders, seedProduct, stockOf } from './lifecycle-client';

/**
 * The same input through GraphQL and the partner REST API gets the same kind of answer: a refusal
 * in one is a refusal (naming the same field) in the other, a change in one a change in the other.
 * GraphQL's `Int` refuses a number past 2,147,483,647 before any resolver (BAD_USER_INPUT); REST
 * reads JSON numbers, so the rules past the type are the lifecycle policies', shared by both doors.
 */
const fixture = withTestServer('doors-agree', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });
const seen: SeenAnswer[] = [];

/** The parts of a JSON Schema this suite reads. */
interface Schema {
  type?: string;
  minimum?: number;
  maximum?: number;
  anyOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
}

async function rest(path: string, token: string, body: unknown) {
  const answer = await post(fixture.server.url, path, JSON.stringify(body), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'idempotency-key': newKey('rest'),
  });
  seen.push({
    path: path.replace(/orders\/[^/]+/, 'orders/{orderId}').replace(/inventory\/[^/]+/, 'inventory/{sku}'),
    answer,
  });
  return { status: answer.status, code: answer.json['code'], field: answer.json['field'], json: answer.json };
}

/** A GraphQL answer as `ValidationFailed lines[0].quantity`, `OrderRefunded`, or the error's code. */
async function graphql<R, V extends Record<string, unknown>>(
  document: Parameters<typeof postOperation<R, V>>[1],
  field: string,
  token: string,
  variables: V,
) {
  const response = await postOperation(fixture.server.url, document, variables, { token });
  const error = response.body.errors?.[0];
  if (error) return { error: error.extensions?.['code'], message: error.message };
  const answer = (response.body.data as Record<string, { __typename: string; field?: string; message?: string }>)[
    field
  ];
  return { typename: answer.__typename, field: answer.field, message: answer.message };
}

describe('GraphQL and the partner REST API give one input one kind of answer', () => {
  it('names a list position the same way in both doors: lines[0].quantity, never lines.0.quantity', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'AGREE-P', 100, 500);
    const [orderId] = await placeOrders(server, 'AGREE-P', 1, 4, () => 'agree-paths');
    const admin = await server.tokenFor('agree-admin', 'admin');
    const path = `/api/v1/orders/${orderId}/refunds`;
    // A fractional quantity: the JSON type refuses it in REST, GraphQL's Int in GraphQL.
    const fractional = await rest(path, admin, { lines: [{ sku: 'AGREE-P', quantity: 1.5 }] });
    expect([fractional.status, fractional.code, fractional.field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'lines[0].quantity',
    ]);
    const viaGraphql = await graphql(RefundOrderDocument, 'refundOrder', admin, {
      orderId,
      key: newKey('gql'),
      lines: [{ sku: 'AGREE-P', quantity: 1.5 }],
    });
    expect(viaGraphql.error).toBe('BAD_USER_INPUT');
    expect(viaGraphql.message).toContain('"lines[0].quantity"');
    // The second line's quantity below 1: the policy's rule, the same field in both.
    const lines = [
      { sku: 'AGREE-P', quantity: 1 },
      { sku: 'OTHER', quantity: 0 },
    ];
    expect((await rest(path, admin, { lines })).field).toBe('lines[1].quantity');
    expect(
      await graphql(RefundOrderDocument, 'refundOrder', admin, { orderId, key: newKey('gql'), lines }),
    ).toMatchObject({
      typename: 'ValidationFailed',
      field: 'lines[1].quantity',
    });
    // An unknown field inside a line: its place named the same way.
    const unknown = await rest(path, admin, { lines: [{ sku: 'AGREE-P', quantity: 1, price: 1 }] });
    expect([unknown.status, unknown.field]).toEqual([400, 'lines[0].price']);
    expect(await db.query('SELECT 1 FROM "AppliedChange" WHERE "orderId" = $1', [orderId])).toEqual([]);
  });

  it('refuses a refund past what an Int holds as bad input in both doors, never as REFUND_EXCEEDS_PAID', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'AGREE-R', 100, 500);
    const [orderId] = await placeOrders(server, 'AGREE-R', 1, 4, () => 'agree-refund');
    const admin = await server.tokenFor('agree-admin', 'admin');
    const path = `/api/v1/orders/${orderId}/refunds`;
    for (const amountCents of [2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
      const viaRest = await rest(path, admin, { amountCents });
      expect([amountCents, viaRest.status, viaRest.code, viaRest.field]).toEqual([
        amountCents,
        400,
        'VALIDATION_FAILED',
        'amountCents',
      ]);
      const viaGraphql = await graphql(RefundOrderDocument, 'refundOrder', admin, {
        orderId,
        key: newKey('gql'),
        amountCents,
      });
      expect(viaGraphql.error).toBe('BAD_USER_INPUT');
    }
    for (const quantity of [2 ** 31, 2 ** 40]) {
      const viaRest = await rest(path, admin, { lines: [{ sku: 'AGREE-R', quantity }] });
      expect([viaRest.status, viaRest.code, viaRest.field]).toEqual([400, 'VALIDATION_FAILED', 'lines[0].quantity']);
      expect(String(viaRest.json['detail'])).toContain('2147483647');
    }
    // The largest Int is a number both doors take: over what was paid, refused as such in both.
    const largest = await rest(path, admin, { amountCents: 2 ** 31 - 1 });
    expect([largest.status, largest.code]).toEqual([409, 'REFUND_EXCEEDS_PAID']);
    expect(
      await graphql(RefundOrderDocument, 'refundOrder', admin, {
        orderId,
        key: newKey('gql'),
        amountCents: 2 ** 31 - 1,
      }),
    ).toMatchObject({ typename: 'RefundExceedsPaid' });
    expect(await db.query('SELECT 1 FROM "AppliedChange" WHERE "orderId" = $1', [orderId])).toEqual([]);
  });

  it('refuses an amount, quantity or delta past a safe integer (2^53, 1e308) through REST in the policy’s words, as 2^31', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'AGREE-BIG', 100, 500);
    const [orderId] = await placeOrders(server, 'AGREE-BIG', 1, 4, () => 'agree-big');
    const admin = await server.tokenFor('agree-admin', 'admin');
    const refunds = `/api/v1/orders/${orderId}/refunds`;
    const adjustments = '/api/v1/inventory/AGREE-BIG/adjustments';
    const cases: [string, (n: number) => Record<string, unknown>, string][] = [
      [refunds, (n) => ({ amountCents: n }), 'amountCents'],
      [refunds, (n) => ({ lines: [{ sku: 'AGREE-BIG', quantity: n }] }), 'lines[0].quantity'],
      [adjustments, (n) => ({ delta: n, reason: 'r' }), 'delta'],
      [adjustments, (n) => ({ delta: -n, reason: 'r' }), 'delta'],
    ];
    for (const [path, body, field] of cases) {
      // 2^31 passes the JSON type and is refused by the policy: its sentence is the rule.
      const rule = (await rest(path, admin, body(2 ** 31))).json['detail'];
      expect(String(rule)).toContain('2147483647');
      for (const beyond of [2 ** 53, 1e308]) {
        // Before: zod's "amountCents is not valid: Too big: expected int to be <=9007199254740991."
        const answer = await rest(path, admin, body(beyond));
        expect([field, beyond, answer.status, answer.code, answer.field, answer.json['detail']]).toEqual([
          field,
          beyond,
          400,
          'VALIDATION_FAILED',
          field,
          rule,
        ]);
      }
    }
    expect(await db.query('SELECT 1 FROM "AppliedChange" WHERE "orderId" = $1', [orderId])).toEqual([]);
    expect(await stockOf(db, 'AGREE-BIG')).toBe(96);
  });

  it('refuses a reason with a control character (but line breaks and tabs), a bidirectional override or nothing that shows, in both doors', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'AGREE-T', 10, 500);
    const [orderId] = await placeOrders(server, 'AGREE-T', 1, 1, () => 'agree-reason');
    const customer = await server.tokenFor('agree-reason');
    const admin = await server.tokenFor('agree-admin', 'admin');
    const cases: [string, RegExp][] = [
      ['late \u001b[31mrefund', /^The reason holds U\+001B: /],
      ['asked for a \u202ednufer', /^The reason holds U\+202E: /],
      // A line break is \n or \r\n: a carriage return alone moves back over the text shown.
      ['two\rlines', /^The reason holds U\+000D: /],
      ['a\r\r\nb', /^The reason holds U\+000D: /],
      ['vertical\u000btab', /^The reason holds U\+000B: /],
      ['\u200b\u200b', /^A reason has 1 to 500 characters/],
      ['\u00ad \u2800', /^A reason has 1 to 500 characters/],
    ];
    for (const [reason, message] of cases) {
      const viaGraphql = await graphql(CancelOrderDocument, 'cancelOrder', customer, {
        orderId,
        key: newKey('gql'),
        reason,
      });
      expect([reason, viaGraphql.typename, viaGraphql.field]).toEqual([reason, 'ValidationFailed', 'reason']);
      expect(viaGraphql.message).toMatch(message);
      for (const [path, token, body] of [
        [`/api/v1/orders/${orderId}/cancel`, customer, { reason }],
        ['/api/v1/inventory/AGREE-T/adjustments', admin, { delta: 1, reason }],
      ] as const) {
        const viaRest = await rest(path, token, body);
        expect([path, viaRest.status, viaRest.code, viaRest.field, viaRest.json['detail']]).toEqual([
          path,
          400,
          'VALIDATION_FAILED',
          'reason',
          viaGraphql.message,
        ]);
      }
    }
    expect(await db.query('SELECT 1 FROM "AppliedChange" WHERE "orderId" = $1', [orderId])).toEqual([]);
    expect(await stockOf(db, 'AGREE-T')).toBe(9);
    // Other scripts, emoji and a zero-width joiner inside one are text: still a reason. So are the
    // line breaks and tabs of a reason typed in a textarea.
    const reason = '取消 🙅‍♀️ إلغاء\nordered twice\r\n\tby mistake';
    expect(
      await graphql(CancelOrderDocument, 'cancelOrder', customer, { orderId, key: newKey('gql'), reason }),
    ).toMatchObject({ typename: 'OrderCancelled' });
    const [cancelled] = await db.query<{ reason: string }>(
      'SELECT "reason" FROM "AppliedChange" WHERE "orderId" = $1',
      [orderId],
    );
    expect(cancelled.reason).toBe(reason);
  });

  it('reads a reason and a delta by one rule: the same answer, the same message, in both doors', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'AGREE-A', 10, 500);
    const admin = await server.tokenFor('agree-admin', 'admin');
    // 500 characters and a trailing space: trimmed, a reason of 500 (GraphQL took it; REST refused it).
    const padded = `${'r'.repeat(500)} `;
    const viaRest = await rest('/api/v1/inventory/AGREE-A/adjustments', admin, { delta: 1, reason: padded });
    expect([viaRest.status, viaRest.json['stockAfter']]).toEqual([201, 11]);
    expect(
      await graphql(AdjustInventoryDocument, 'adjustInventory', admin, {
        sku: 'AGREE-A',
        key: newKey('gql'),
        delta: 1,
        reason: padded,
      }),
    ).toMatchObject({ typename: 'InventoryAdjusted' });
    expect(await stockOf(db, 'AGREE-A')).toBe(12);
    // Too long, and the lowest Int as a delta: one message for each, whichever door.
    const cases: [Record<string, unknown>, string][] = [
      [{ delta: 1, reason: 'r'.repeat(501) }, 'reason'],
      [{ delta: -(2 ** 31), reason: 'r' }, 'delta'],
    ];
    for (const [body, field] of cases) {
      const refusedByRest = await rest('/api/v1/inventory/AGREE-A/adjustments', admin, body);
      const refusedByGraphql = await graphql(AdjustInventoryDocument, 'adjustInventory', admin, {
        sku: 'AGREE-A',
        key: newKey('gql'),
        delta: body['delta'] as number,
        reason: body['reason'] as string,
      });
      expect(refusedByGraphql).toMatchObject({ typename: 'ValidationFailed', field });
      expect([refusedByRest.status, refusedByRest.code, refusedByRest.field, refusedByRest.json['detail']]).toEqual([
        400,
        'VALIDATION_FAILED',
        field,
        refusedByGraphql.message,
      ]);
    }
    const [orderId] = await placeOrders(server, 'AGREE-A', 1, 1, () => 'agree-cancel');
    const customer = await server.tokenFor('agree-cancel');
    const tooLong = await rest(`/api/v1/orders/${orderId}/cancel`, customer, { reason: 'c'.repeat(501) });
    const tooLongInGraphql = await graphql(CancelOrderDocument, 'cancelOrder', customer, {
      orderId,
      key: newKey('gql'),
      reason: 'c'.repeat(501),
    });
    expect(tooLong.json['detail']).toBe(tooLongInGraphql.message);
    expect(await stockOf(db, 'AGREE-A')).toBe(11);
  });

  it('takes null for the refund form not chosen, as GraphQL does: {amountCents: null, lines} is a refund by lines', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'AGREE-N', 100, 500);
    const [forRest, forGraphql] = await placeOrders(server, 'AGREE-N', 2, 4, (index) => `agree-null-${index}`);
    const admin = await server.tokenFor('agree-admin', 'admin');
    const body = { amountCents: null, lines: [{ sku: 'AGREE-N', quantity: 1 }] };
    const viaRest = await rest(`/api/v1/orders/${forRest}/refunds`, admin, body);
    expect([viaRest.status, viaRest.json['refundedCents']]).toEqual([201, 500]);
    expect(
      await graphql(RefundOrderDocument, 'refundOrder', admin, { orderId: forGraphql, key: newKey('gql'), ...body }),
    ).toMatchObject({ typename: 'OrderRefunded' });
    const byAmount = await rest(`/api/v1/orders/${forRest}/refunds`, admin, { amountCents: 100, lines: null });
    expect([byAmount.status, byAmount.json['refundedCents']]).toEqual([201, 600]);
  });

  it('checks a refund line’s SKU as createOrder checks an item’s: 1 to 64 storable characters, in both doors', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'AGREE-S', 100, 500);
    const [orderId] = await placeOrders(server, 'AGREE-S', 1, 4, () => 'agree-sku');
    const admin = await server.tokenFor('agree-admin', 'admin');
    for (const sku of ['   ', 'S'.repeat(65), 'AGREE-S\u0000', 'x'.repeat(10_000)]) {
      const lines = [
        { sku: 'AGREE-S', quantity: 1 },
        { sku, quantity: 1 },
      ];
      const viaRest = await rest(`/api/v1/orders/${orderId}/refunds`, admin, { lines });
      const viaGraphql = await graphql(RefundOrderDocument, 'refundOrder', admin, {
        orderId,
        key: newKey('gql'),
        lines,
      });
      expect(viaGraphql).toMatchObject({ typename: 'ValidationFailed', field: 'lines[1].sku' });
      expect(viaGraphql.message).toMatch(/^A SKU has 1 to 64 characters/);
      expect([viaRest.status, viaRest.code, viaRest.field, viaRest.json['detail']]).toEqual([
        400,
        'VALIDATION_FAILED',
        'lines[1].sku',
        viaGraphql.message,
      ]);
    }
    expect(await db.query('SELECT 1 FROM "AppliedChange" WHERE "orderId" = $1', [orderId])).toEqual([]);
  });

  it('refuses a refund by lines worth 0 cents (a free product) as bad input in both doors, not a 500', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'AGREE-FREE', 100, 0);
    await seedProduct(db, 'AGREE-PAID', 100, 300);
    const [orderId] = await placeOrders(server, 'AGREE-FREE', 1, 2, () => 'agree-free');
    const admin = await server.tokenFor('agree-admin', 'admin');
    const lines = [{ sku: 'AGREE-FREE', quantity: 1 }];
    const viaRest = await rest(`/api/v1/orders/${orderId}/refunds`, admin, { lines });
    const viaGraphql = await graphql(RefundOrderDocument, 'refundOrder', admin, { orderId, key: newKey('gql'), lines });
    expect(viaGraphql).toMatchObject({ typename: 'ValidationFailed', field: 'lines' });
    expect([viaRest.status, viaRest.code, viaRest.field, viaRest.json['detail']]).toEqual([
      400,
      'VALIDATION_FAILED',
      'lines',
      viaGraphql.message,
    ]);
    expect(await db.query('SELECT 1 FROM "AppliedChange" WHERE "orderId" = $1', [orderId])).toEqual([]);
    // A free line beside a paid one is refunded with it, at its price: 0 of the refund.
    const placed = await createOrder(server, { customerId: 'agree-free-mixed' }, newKey('place'), {
      currency: 'EUR',
      items: [...lines, { sku: 'AGREE-PAID', quantity: 1 }],
    });
    const mixed = orderIdOf(placed)!;
    const both = await rest(`/api/v1/orders/${mixed}/refunds`, admin, {
      lines: [...lines, { sku: 'AGREE-PAID', quantity: 1 }],
    });
    expect([both.status, both.json['refundedCents']]).toEqual([201, 300]);
  });

  it('publishes in its OpenAPI document the ranges the policies enforce (1 or ±2,147,483,647), not a safe integer’s', async () => {
    const response = await request(fixture.server.url, '/api/v1/openapi.json', { method: 'GET' });
    const schemas = (JSON.parse(response.text) as { components: { schemas: Record<string, Schema> } }).components
      .schemas;
    const integer = (schema: Schema) => (schema.anyOf ?? [schema]).find((option) => option.type === 'integer')!;
    const refund = schemas['RefundRequest'].properties!;
    const line = (refund['lines'].anyOf ?? [refund['lines']]).find((option) => option.type === 'array')!.items!;
    const ranges = [
      integer(refund['amountCents']),
      integer(line.properties!['quantity']),
      integer(schemas['AdjustmentRequest'].properties!['delta']),
    ].map(({ minimum, maximum }) => [minimum, maximum]);
    expect(ranges).toEqual([
      [1, 2 ** 31 - 1],
      [1, 2 ** 31 - 1],
      [-(2 ** 31 - 1), 2 ** 31 - 1],
    ]);
  });

  it('gives only answers its OpenAPI document describes', async () => {
    expect(seen.length).toBeGreaterThan(10);
    await expectDocumentedAnswers(fixture.server.url, seen);
  });
});
