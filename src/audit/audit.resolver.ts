import { Arg, Args, Authorized, ID, Int, Query, Resolver } from 'type-graphql';
import { IdempotencyAuditEvent } from './audit-event.type';
import { AuditService, MAX_AUDIT_PAGE_SIZE } from './audit.service';
import { OrderHistoryArgs } from './order-history.args';

/** Default page of duplicateAttempts. */
const DEFAULT_ATTEMPTS_PAGE = 50;

/** The `first` argument of duplicateAttempts. */
const FIRST_ATTEMPTS = 'How many events: default 50, at most 500 (more gives 500); below 0 is a BAD_USER_INPUT error.';

/** orderHistory's description. */
const ORDER_HISTORY =
  'Admin only: the recorded decisions about one order (its creation, repeats, holds against it, merges), ' +
  'in the order they were recorded (oldest first unless newestFirst), a page at a time (`after`).';

@Resolver(() => IdempotencyAuditEvent)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Authorized('admin')
  @Query(() => [IdempotencyAuditEvent], {
    description:
      'Admin only: attempts to repeat a request, createOrder or a lifecycle mutation (duplicates, key reuse, in progress, ' +
      'possible duplicates, merges), newest first, a page at a time (`after`).',
  })
  duplicateAttempts(
    @Arg('customerId', () => ID, { nullable: true, description: "Only this customer's attempts (the exact id)." })
    customerId: string | null,
    @Arg('orderId', () => ID, {
      nullable: true,
      description: 'Only attempts naming this order (orderId or relatedOrderId).',
    })
    orderId: string | null,
    @Arg('since', () => Date, { nullable: true, description: 'Only attempts at or after this time.' })
    since: Date | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_ATTEMPTS_PAGE, description: FIRST_ATTEMPTS })
    first: number | null,
    @Arg('after', () => ID, {
      nullable: true,
      description:
        'The attempts recorded before this one: the id of the last event of the previous page (the same filters). ' +
        'Not an event duplicateAttempts gives: a BAD_USER_INPUT error.',
    })
    after: string | null,
  ): Promise<IdempotencyAuditEvent[]> {
    return this.audit.duplicateAttempts({ customerId, orderId, since, first: first ?? DEFAULT_ATTEMPTS_PAGE, after });
  }

  @Authorized('admin')
  @Query(() => [IdempotencyAuditEvent], {
    description: ORDER_HISTORY,
  })
  orderHistory(@Args(() => OrderHistoryArgs) args: OrderHistoryArgs): Promise<IdempotencyAuditEvent[]> {
    return this.audit.orderHistory({
      orderId: args.orderId,
      first: args.first ?? MAX_AUDIT_PAGE_SIZE,
      after: args.after ?? null,
      newestFirst: args.newestFirst ?? false,
    });
  }
}
