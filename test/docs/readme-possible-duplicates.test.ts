import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { docsBlock, readDoc, tableRows } from '../support/docs';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';

/**
 * README.md's table of possible duplicates, row by row against the real server: after the first
 * order the page names, each row's second order (a new key, the first order moved 5 minutes back as
 * the table's header says) gets the answer of its row. The rows are read from the page, so a row
 * added, changed or removed without this test fails here.
 */
interface Address {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

const FIRST_TEXT = '`221B Baker Street, Flat 4, London NW1 6XE`, 2 × TEA-1';
const FIRST: Address = {
  name: 'Sherlock Holmes',
  line1: '221B Baker Street',
  line2: 'Flat 4',
  city: 'London',
  postalCode: 'NW1 6XE',
  country: 'GB',
};

/** Each row's first cell, as the page writes it, and the second order it describes. */
const SECOND_ORDERS: Record<string, { address: Address; quantity: number }> = {
  '`Flat 4, 221 B Bakr Stret`, `Lodnon`, `NW16XE`': {
    address: {
      name: FIRST.name,
      line1: 'Flat 4, 221 B Bakr Stret',
      city: 'Lodnon',
      postalCode: 'NW16XE',
      country: 'GB',
    },
    quantity: 2,
  },
  '`221B Baker St., Apt 4`, `london`, `nw16xe`': {
    address: { name: FIRST.name, line1: '221B Baker St., Apt 4', city: 'london', postalCode: 'nw16xe', country: 'GB' },
    quantity: 2,
  },
  '`221B Baker Street`, **Flat 5**': { address: { ...FIRST, line2: 'Flat 5' }, quantity: 2 },
  '**223B** Baker Street, Flat 4': { address: { ...FIRST, line1: '223B Baker Street' }, quantity: 2 },
  'same address, **3** × TEA-1': { address: FIRST, quantity: 3 },
};

/** The answer a row's second cell names: `held…` is PossibleDuplicate, `created…` OrderCreated. */
function answerNamed(cell: string): string {
  if (cell.startsWith('held')) return 'PossibleDuplicate';
  if (cell.startsWith('created')) return 'OrderCreated';
  throw new Error(`README.md's row answers neither held nor created: ${cell}`);
}

const CREATE_ORDER = `mutation ($key: String!, $input: CreateOrderInput!) {
  createOrder(idempotencyKey: $key, input: $input) { __typename ... on OrderCreated { order { id } } }
}`;

let db: TestDatabase;
let server: TestServer;
beforeAll(async () => {
  db = await createTestDatabase('readme_dupes');
  server = await startTestServer(db.url, 'readme-dupes');
  await seedProducts(db.url, [{ sku: 'TEA-1', priceCents: 450, stock: 100 }]);
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

async function createOrder(
  customerId: string,
  key: string,
  order: { address: Address; quantity: number },
): Promise<{ __typename: string; order?: { id: string } }> {
  const input = {
    currency: 'EUR',
    items: [{ sku: 'TEA-1', quantity: order.quantity }],
    shippingAddress: order.address,
  };
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await server.tokenFor(customerId)}` },
    body: JSON.stringify({ query: CREATE_ORDER, variables: { key, input } }),
  });
  const body = (await response.json()) as { data: { createOrder: { __typename: string; order?: { id: string } } } };
  return body.data.createOrder;
}

describe("README.md's possible duplicates", () => {
  it('names the first order the rows are compared with, and only rows this test knows', async () => {
    expect((await readDoc('README.md')).replace(/\s+/g, ' ')).toContain(`After ${FIRST_TEXT}:`);
    const rows = tableRows(await docsBlock('possible-duplicates', 'README.md'));
    expect(rows.map(([second]) => second)).toEqual(Object.keys(SECOND_ORDERS));
  });

  it.each(Object.keys(SECOND_ORDERS).map((second, row) => [row + 1, second]))(
    'row %i: %s gets the answer of its row, 5 minutes after the first order',
    async (row, second) => {
      const rows = tableRows(await docsBlock('possible-duplicates', 'README.md'));
      const [, answer] = rows.find(([cell]) => cell === second)!;
      const customer = `readme-row-${row}`;
      const first = await createOrder(customer, `${customer}-first`, { address: FIRST, quantity: 2 });
      expect(first.__typename).toBe('OrderCreated');
      await db.query(`UPDATE "Order" SET "createdAt" = "createdAt" - interval '5 minutes' WHERE "id" = $1`, [
        first.order!.id,
      ]);
      const again = await createOrder(customer, `${customer}-second`, SECOND_ORDERS[second]);
      expect(again.__typename).toBe(answerNamed(answer));
    },
  );
});
