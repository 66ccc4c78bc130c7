import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSchema, isUnionType } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { docsBlock, tableRows } from '../support/docs';
import { PROJECT_ROOT } from '../support/server';

/**
 * The tables a newcomer reads first about what the API answers, against the schema
 * (schema.graphql, which test/graphql/schema-file.test.ts keeps equal to the server's): README.md's
 * members of createOrder's union, and docs/order-lifecycle.md's keyed mutations with their
 * arguments. A member, mutation or argument added, renamed or removed without its row fails here.
 */
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = buildSchema(await readFile(path.join(PROJECT_ROOT, 'schema.graphql'), 'utf8'));
});

/** The first cell of each row of a marked table. */
async function firstCells(name: string, file: string): Promise<string[]> {
  return tableRows(await docsBlock(name, file)).map(([first]) => first);
}

describe('the tables of what the API answers', () => {
  it("README.md's createOrder table has one row per member of CreateOrderResult", async () => {
    const union = schema.getType('CreateOrderResult');
    if (!isUnionType(union)) throw new Error('CreateOrderResult is no union');
    const members = union.getTypes().map((type) => type.name);
    const rows = (await firstCells('create-order-result', 'README.md')).map((cell) => cell.replace(/`/g, ''));
    expect([...rows].sort()).toEqual([...members].sort());
  });

  it("docs/order-lifecycle.md's table names every keyed mutation but createOrder, with its arguments", async () => {
    const mutations = schema.getMutationType()!.getFields();
    const keyed = Object.values(mutations)
      .filter((field) => field.name !== 'createOrder' && field.args.some((arg) => arg.name === 'idempotencyKey'))
      .map(
        (field) =>
          `${field.name}(${field.args
            .map((arg) => arg.name)
            .sort()
            .join(', ')})`,
      );
    expect(keyed.length).toBeGreaterThan(0);
    // `refundOrder(orderId, idempotencyKey, amountCents \| lines)`: the arguments, whatever joins them.
    const rows = (await firstCells('keyed-mutations', 'docs/order-lifecycle.md')).map((cell) => {
      const [, name, args] = /^`(\w+)\(([^)]*)/.exec(cell) ?? [];
      const names = args.split(/[\s,\\|]+/).filter(Boolean);
      return `${name}(${names.sort().join(', ')})`;
    });
    expect([...rows].sort()).toEqual([...keyed].sort());
  });
});
