import { Arg, Authorized, ID, Int, Query, Resolver } from 'type-graphql';
import { IdempotencyAuditEvent } from './audit-event.type';
import { AuditService } from './audit.service';

/** Default page of duplicateAttempts. */
const DEFAULT_ATTEMPTS_PAGE = 50;

@Resolver(() => IdempotencyAuditEvent)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Authorized('admin')
  @Query(() => [IdempotencyAuditEvent], {
    description:
      'Admin only: attempts to repeat an order (duplicates, key reuse, in progress, possible duplicates, merges), newest first.',
  })
  duplicateAttempts(
    @Arg('customerId', () => ID, { nullable: true }) customerId: string | null,
    @Arg('orderId', () => ID, { nullable: true }) orderId: string | null,
    @Arg('since', () => Date, { nullable: true }) since: Date | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_ATTEMPTS_PAGE }) first: number | null,
  ): Promise<IdempotencyAuditEvent[]> {
    return this.audit.duplicateAttempts({ customerId, orderId, since, first: first ?? DEFAULT_ATTEMPTS_PAGE });
  }

  @Authorized('admin')
  @Query(() => [IdempotencyAuditEvent], {
    description: 'Admin only: every recorded decision about one order, oldest first.',
  })
  orderHistory(@Arg('orderId', () => ID) orderId: string): Promise<IdempotencyAuditEvent[]> {
    return this.audit.orderHistory(orderId);
  }
}
