import { postGraphQL } from '../support/graphql-client';
import { withTestServer } from '../support/test-server-fixture';

// A product's name is shown on every order line, in receipts and to the admins who review held
// orders: text that changes how what is around it shows (a bell, an escape sequence, a line
// break, a bidirectional override) is refused as in an address (src/request/printable-text.ts).

const fixture = withTestServer('product-name');
const UPSERT = 'mutation($input: ProductInput!) { upsertProduct(input: $input) { sku name } }';
const product = (sku: string, name: string) => ({ sku, name, currency: 'EUR', priceCents: 450, stock: 3 });

async function upsert(sku: string, name: string) {
  const token = await fixture.server.tokenFor('catalog-admin', 'admin');
  return postGraphQL(fixture.server.url, UPSERT, { input: product(sku, name) }, { token });
}

describe('upsertProduct names', () => {
  it.each([
    ['a bell', 'Green tea\u0007', 'U+0007'],
    ['an ANSI colour sequence', '\u001b[31mGreen tea\u001b[0m', 'U+001B'],
    ['a line break inside', 'Green\ntea', 'U+000A'],
    ['a right-to-left override', 'Green \u202eaet', 'U+202E'],
    ['an interlinear annotation', 'Green\ufff9tea\ufffa', 'U+FFF9'],
  ])(
    'with %s is refused as BAD_USER_INPUT naming the field and the character, nothing stored',
    async (_what, name, code) => {
      const sku = `NAME-${code.slice(2)}`;
      const response = await upsert(sku, name);
      expect(response.body.data).toBeNull();
      expect(response.body.errors?.[0]?.extensions).toEqual(
        expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'name' }),
      );
      expect(response.body.errors?.[0]?.message).toContain(code);
      const rows = await fixture.db.query('SELECT 1 FROM "Product" WHERE "sku" = $1', [sku]);
      expect(rows).toHaveLength(0);
    },
  );

  it.each([
    ['a zero-width space', '\u200b'],
    ['a Hangul filler', '\u3164'],
  ])('of only %s is refused as blank', async (_what, name) => {
    const response = await upsert('NAME-BLANK', name);
    expect(response.body.errors?.[0]?.extensions).toEqual(
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'name' }),
    );
    expect(await fixture.db.query('SELECT 1 FROM "Product" WHERE "sku" = $1', ['NAME-BLANK'])).toHaveLength(0);
  });

  it('keeps what real names need: joiners, no-break spaces, direction marks, emoji', async () => {
    const name = 'Chai\u00a0masala \u200d🍵 \u200fמסאלה';
    const response = await upsert('NAME-REAL', name);
    expect(response.body).toEqual({ data: { upsertProduct: { sku: 'NAME-REAL', name } } });
  });
});
