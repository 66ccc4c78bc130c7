import { ArgsType, Field, ID, Int } from 'type-graphql';
import { MAX_AUDIT_PAGE_SIZE } from './audit.service';

/** The arguments of `orderHistory`: a page of one order's audit events. */
@ArgsType()
export class OrderHistoryArgs {
  @Field(() => ID, { description: 'The order (a UUID); any other id has no history.' })
  orderId!: string;

  @Field(() => Int, {
    nullable: true,
    defaultValue: MAX_AUDIT_PAGE_SIZE,
    description:
      'How many events: default and at most 500; more, or below 0, is a BAD_USER_INPUT error. ' +
      'A page shorter than `first` is the last one.',
  })
  first?: number | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The events after this one (in the order asked for): the id of the last event of the previous page. ' +
      "Not an event of this order's history: a BAD_USER_INPUT error.",
  })
  after?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Newest first: the latest decisions, `after` going back in time. Default: oldest first.',
  })
  newestFirst?: boolean | null;
}
