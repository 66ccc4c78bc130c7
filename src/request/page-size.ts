import { GraphQLError } from 'graphql';

/** Refuses a list query's `first` below zero or not whole with a typed error (BAD_USER_INPUT), the same for every list. */
export function assertPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 0) {
    throw new GraphQLError('`first` must be zero or more.', {
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
  }
}
