import { ArgsType, Field, ID, Int } from 'type-graphql';
import { DEFAULT_PAGE_SIZE } from './order.service';

/** The arguments of `orders`: a page of the caller's orders, newest first. */
@ArgsType()
export class OrdersArgs {
  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_PAGE_SIZE,
    description:
      'How many orders: default 20, at most 100 (more gives 100, as before paging); below 0 is a BAD_USER_INPUT error. ' +
      'A page shorter than `first` (or than 100) is the last one.',
  })
  first?: number | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The orders placed before this one: the id of the last order of the previous page. ' +
      "Orders placed meanwhile do not shift the pages. Not one of the caller's orders: a BAD_USER_INPUT error.",
  })
  after?: string | null;
}
