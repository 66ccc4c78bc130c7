import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, getNamedType, isObjectType, parse, validate } from 'graphql';
import { operationLimits } from '../../src/hardening/operation-limits';
import { PAGE_BOUNDS } from '../../src/hardening/query-cost';

const schema = buildSchema(readFileSync(path.join(__dirname, '../../schema.graphql'), 'utf8'));
const { validationRules } = operationLimits({ maxDepth: 10, maxAliases: 15, maxCost: 5_000, maxTokens: 1_000 });

/** The cost limit's refusal of a query, or null when it passes. */
const refusal = (query: string) =>
  validate(schema, parse(query), validationRules)
    .map((error) => error.message)
    .find((message) => message.startsWith('Query Cost')) ?? null;

const scalarFieldsOf = (typeName: string) => {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  return Object.values(type.getFields())
    .filter((field) => !isObjectType(getNamedType(field.type)))
    .map((field) => field.name)
    .join(' ');
};

describe('query cost: what an answer may hold, pages at their largest', () => {
  it('knows the bound of every list that pages', () => {
    const paged = Object.values(schema.getQueryType()!.getFields())
      .filter((field) => field.args.some((argument) => argument.name === 'first'))
      .map((field) => `Query.${field.name}`);
    expect(paged.sort()).toEqual(Object.keys(PAGE_BOUNDS).sort());
  });

  it.each([
    ['duplicateAttempts(first: 500)', 'IdempotencyAuditEvent'],
    ['orderHistory(orderId: "x", first: 500)', 'IdempotencyAuditEvent'],
    ['orderHistory(orderId: "x")', 'IdempotencyAuditEvent'],
    ['heldOrders(first: 100)', 'HeldOrder'],
    ['orders(first: 100)', 'Order'],
  ])('accepts %s with every scalar field of its rows', (list, type) => {
    expect(refusal(`{ ${list} { ${scalarFieldsOf(type)} } }`)).toBeNull();
  });

  it('accepts a held order page at its largest with its lines and address, by literal or variable', () => {
    const fields = `${scalarFieldsOf('HeldOrder')} lines { sku quantity } shippingAddress { line1 city }`;
    expect(refusal(`{ heldOrders(first: 100) { ${fields} } }`)).toBeNull();
    expect(refusal(`query ($first: Int) { heldOrders(first: $first) { ${fields} } }`)).toBeNull();
  });

  it('accepts a page of orders at its largest with their items, products, refunds and lines', () => {
    const fields = 'id items { sku product { sku name } } refunds { id lines { sku quantity } }';
    expect(refusal(`{ orders(first: 100) { ${fields} } }`)).toBeNull();
    expect(refusal(`query ($first: Int) { orders(first: $first) { ${fields} } }`)).toBeNull();
  });

  it('refuses large pages of relations repeated, however the page size is given', () => {
    const fields = 'id items { sku product { sku name } } refunds { id lines { sku quantity } }';
    const three = (first: string) => ['a', 'b', 'c'].map((alias) => `${alias}: orders${first} { ${fields} }`).join(' ');
    // 3 × 100 × (1 + 3 × 2 + 3 × 4)
    expect(refusal(`{ ${three('(first: 100)')} }`)).toBe('Query Cost limit of 5000 exceeded, found 5700.');
    expect(refusal(`query ($n: Int) { ${three('(first: $n)')} }`)).toBe(
      'Query Cost limit of 5000 exceeded, found 5700.',
    );
    // More than a list gives counts as what it gives; its default page passes.
    expect(refusal(`{ ${three('(first: 100000)')} }`)).toBe('Query Cost limit of 5000 exceeded, found 5700.');
    expect(refusal(`{ ${three('')} }`)).toBeNull();
  });

  it('refuses the largest pages repeated under aliases', () => {
    const pages = Array.from({ length: 11 }, (_, i) => `p${i}: duplicateAttempts(first: 500) { id }`).join(' ');
    expect(refusal(`{ ${pages} }`)).toBe('Query Cost limit of 5000 exceeded, found 5500.');
  });

  it('counts fragments as written out, and stops at a cycle', () => {
    const page = (alias: string) => `${alias}: orders(first: 100) { ...items refunds { lines { sku } } }`;
    const query = `{ ${page('a')} ${page('b')} ${page('c')} }
      fragment items on Order { items { product { sku } } }`;
    expect(refusal(query)).toBe('Query Cost limit of 5000 exceeded, found 5700.');
    expect(() =>
      validate(schema, parse('{ orders { ...a } } fragment a on Order { ...a }'), validationRules),
    ).not.toThrow();
  });
});
