import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedDirective,
  isSpecifiedScalarType,
} from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { buildOrderGateSchema } from '../../src/graphql/schema';

/**
 * Every public element of a schema (its schema coordinate) that has no description: types, fields,
 * arguments, enum values, input fields and the project's own directives. Built-in scalars, the
 * introspection types (`__…`) and the spec's directives are graphql-js's, described there.
 */
function undescribedElements(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (coordinate: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(coordinate);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name}:)`, arg.description);
      }
    }
    if (isInputObjectType(type))
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    if (isEnumType(type)) for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
  }
  for (const directive of schema.getDirectives()) {
    if (isSpecifiedDirective(directive)) continue;
    check(`@${directive.name}`, directive.description);
    for (const arg of directive.args) check(`@${directive.name}(${arg.name}:)`, arg.description);
  }
  return missing.sort();
}

// Clients explore the API in Apollo Sandbox, which shows nothing for an element without a
// description: a new type, field, argument or enum value must say what it is (in its type-graphql
// decorator; the root types' in src/graphql/schema.ts).
describe('schema descriptions', () => {
  it('describes every public element of the schema the server builds', async () => {
    expect(undescribedElements(await buildOrderGateSchema())).toEqual([]);
  });

  it('would name an element without one (the check itself can fail)', () => {
    const schema = buildSchema(`
      """Described."""
      type Query {
        """Described."""
        order(id: ID!): Order
      }
      type Order { id: ID! }
      """Described."""
      enum Status { """Described.""" OPEN CLOSED }
      union Result = Order
      """Described."""
      input OrderInput { sku: String! }
      directive @mine(key: String) on FIELD
    `);
    expect(undescribedElements(schema)).toEqual([
      '@mine',
      '@mine(key:)',
      'Order',
      'Order.id',
      'OrderInput.sku',
      'Query.order(id:)',
      'Result',
      'Status.CLOSED',
    ]);
  });
});
