import { postGraphQL } from '../support/graphql-client';
import { placeOrder } from '../orders/lifecycle/held-order-client';
import { newKey } from '../support/order-client';
import { seedProduct } from '../orders/lifecycle/lifecycle-client';
import { withTestServer } from '../support/test-server-fixture';

// The spec's directives (@skip, @include, @deprecated …) belong to every GraphQL schema; naming
// @idempotent for type-graphql had replaced them, so Apollo Client's `@include(if: $x)` failed
// validation (found from outside, stop 39).
const fixture = withTestServer('spec-directives');

describe("the spec's directives beside @idempotent", () => {
  it('answers a query using @include and @skip as the spec says', async () => {
    await seedProduct(fixture.db, 'SPEC-1', 10);
    const placed = await placeOrder(fixture.server, 'sky', newKey('spec'), 'SPEC-1', 1);
    const query = `query Orders($withItems: Boolean!) {
      orders { id items @include(if: $withItems) { sku } status @skip(if: true) }
    }`;
    const token = await fixture.server.tokenFor('sky');
    const withItems = await postGraphQL(fixture.server.url, query, { withItems: true }, { token });
    const without = await postGraphQL(fixture.server.url, query, { withItems: false }, { token });

    expect(withItems.body).toEqual({ data: { orders: [{ id: placed.order!.id, items: [{ sku: 'SPEC-1' }] }] } });
    expect(without.body).toEqual({ data: { orders: [{ id: placed.order!.id }] } });
  });

  it('lists them in introspection next to @idempotent', async () => {
    const response = await postGraphQL<{ __schema: { directives: { name: string }[] } }>(
      fixture.server.url,
      '{ __schema { directives { name } } }',
    );
    expect(response.body.data!.__schema.directives.map((directive) => directive.name).sort()).toEqual(
      expect.arrayContaining(['deprecated', 'idempotent', 'include', 'skip', 'specifiedBy']),
    );
  });
});
