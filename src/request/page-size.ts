import { GraphQLError } from 'graphql';

/**
 * Refuses a list query's `first` below zero or not whole with a typed error (BAD_USER_INPUT, field
 * `first`), the same for every list. A list whose `first` came with paging (orderHistory) gives
 * its `max` too and refuses more: it never cuts a page short, so a page shorter than `first` means
 * the end. The lists whose `first` is older than their paging (orders, duplicateAttempts,
 * heldOrders) give none and cut to their maximum, as their clients were told.
 */
export function assertPageSize(first: number, max?: number): void {
  if (Number.isInteger(first) && first >= 0 && (max === undefined || first <= max)) return;
  const range = max === undefined ? 'zero or more' : `from 0 to ${max}`;
  throw new GraphQLError(`\`first\` must be ${range}.`, { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
}

/** A page of a list that pages: at most `first` items, those after the item `after` names (null: from the start). */
export interface PageRequest {
  first: number;
  /** The id of the last item of the previous page, as the client sent it. */
  after: string | null;
}
