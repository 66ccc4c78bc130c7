import { GraphQLError, getNamedType, getNullableType, isListType, isObjectType, Kind } from 'graphql';
import type {
  ASTVisitor,
  FieldNode,
  GraphQLField,
  GraphQLNamedType,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { MAX_AUDIT_PAGE_SIZE } from '../audit/audit.service';
import { MAX_PAGE_SIZE } from '../orders/order.service';

/**
 * The most rows each list that pages (`first`) gives, by `Type.field`: `first` counts up to this,
 * as the list itself gives no more. Every field with a `first` argument is here (a test checks).
 */
export const PAGE_BOUNDS: Readonly<Record<string, number>> = {
  'Query.orders': MAX_PAGE_SIZE,
  'Query.heldOrders': MAX_PAGE_SIZE,
  'Query.duplicateAttempts': MAX_AUDIT_PAGE_SIZE,
  'Query.orderHistory': MAX_AUDIT_PAGE_SIZE,
};

/**
 * The rows a list without paging counts (an order's items and refunds, a held order's lines): a
 * few, as most orders have. It is the pages that multiply what a list beneath them costs. At 10, a
 * page of orders with their refunds and the refunds' lines (test/operations/order-refunds.graphql,
 * as a client's order history reads it) cost 11 100 and was refused: 3 keeps it at 1 300.
 */
export const UNPAGED_LIST_ROWS = 3;

/**
 * The cost of an operation: the rows (objects) its answer may hold, each page at its largest.
 * A row's scalar fields cost nothing: they come with the row, read by the same SQL query. An object
 * field costs 1 per row it sits in (a relation: one more row, e.g. through a DataLoader), a list
 * that number times what one of its rows costs. So a page of 500 audit events costs 500 whatever
 * fields it selects, and a page of 100 orders with their items and products 100 × (1 + 10 × 2).
 * `first` counts as given (at most the list's bound), as its default when left out, and as the
 * bound when it is a variable (its value is not known at validation). Fragments count as if
 * written out; a union's members all count (an upper bound); introspection (`__schema`, `__type`)
 * is free here, bounded by depth, tokens and GRAPHQL_INTROSPECTION.
 */
export function queryCostRule(maxCost: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation: OperationDefinitionNode) {
      const root = context.getSchema().getRootType(operation.operation);
      if (!root) return;
      const cost = selectionCost(context, operation.selectionSet, root, new Set());
      if (cost > maxCost)
        context.reportError(
          new GraphQLError(`Query Cost limit of ${maxCost} exceeded, found ${cost}.`, { nodes: operation }),
        );
    },
  });
}

function selectionCost(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType,
  fragmentsVisiting: Set<string>,
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      cost += fieldCost(context, selection, parent, fragmentsVisiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition?.name.value;
      const type = condition ? context.getSchema().getType(condition) : parent;
      if (type) cost += selectionCost(context, selection.selectionSet, type, fragmentsVisiting);
    } else {
      // A cycle of fragments is another rule's error; here it must only not recurse for ever.
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      const type = fragment && context.getSchema().getType(fragment.typeCondition.name.value);
      if (!fragment || !type || fragmentsVisiting.has(name)) continue;
      fragmentsVisiting.add(name);
      cost += selectionCost(context, fragment.selectionSet, type, fragmentsVisiting);
      fragmentsVisiting.delete(name);
    }
  }
  return cost;
}

function fieldCost(
  context: ValidationContext,
  node: FieldNode,
  parent: GraphQLNamedType,
  fragmentsVisiting: Set<string>,
): number {
  if (!node.selectionSet || node.name.value.startsWith('__') || !isObjectType(parent)) return 0;
  const field = parent.getFields()[node.name.value];
  if (!field) return 0;
  const perRow = 1 + selectionCost(context, node.selectionSet, getNamedType(field.type), fragmentsVisiting);
  return rowsOf(`${parent.name}.${field.name}`, field, node) * perRow;
}

/** How many rows a field may give: 1 for an object, a page's size, or UNPAGED_LIST_ROWS. */
function rowsOf(coordinate: string, field: GraphQLField<unknown, unknown>, node: FieldNode): number {
  if (!isListType(getNullableType(field.type))) return 1;
  const bound = PAGE_BOUNDS[coordinate];
  if (bound === undefined) return UNPAGED_LIST_ROWS;
  const given = node.arguments?.find((argument) => argument.name.value === 'first')?.value;
  if (given?.kind === Kind.INT) return Math.max(0, Math.min(Number(given.value), bound));
  if (given === undefined) {
    const fallback = field.args.find((argument) => argument.name === 'first')?.defaultValue;
    return typeof fallback === 'number' ? Math.min(fallback, bound) : bound;
  }
  return bound;
}
