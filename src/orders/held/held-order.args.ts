import { ArgsType, Field, ID, Int } from 'type-graphql';
import { IdempotencyKeyField } from '../lifecycle/lifecycle.args';
import { REASON_RULE } from '../lifecycle/lifecycle-policy';
import { HeldOrderStatus } from './held-order.type';

@ArgsType()
export class ReleaseHeldOrderArgs {
  @Field(() => ID, { description: 'The held order to release (HeldOrder.id, a UUID).' })
  heldOrderId!: string;

  @IdempotencyKeyField('admin')
  idempotencyKey?: string | null;
}

@ArgsType()
export class DismissHeldOrderArgs {
  @Field(() => ID, { description: 'The held order to dismiss (HeldOrder.id, a UUID).' })
  heldOrderId!: string;

  @IdempotencyKeyField('admin')
  idempotencyKey?: string | null;

  @Field({ description: `Why it is dismissed (kept with the held order): ${REASON_RULE}` })
  reason!: string;
}

@ArgsType()
export class HeldOrdersArgs {
  @Field(() => HeldOrderStatus, {
    nullable: true,
    defaultValue: HeldOrderStatus.HELD,
    description: 'The status to list (default HELD: those waiting for an admin).',
  })
  status?: HeldOrderStatus | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: 20,
    description: 'How many: default 20, at most 100 (more gives 100); below 0 is a BAD_USER_INPUT error.',
  })
  first?: number | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The held orders after this one: the id of the last of the previous page (the same status). ' +
      'Not a held order: a BAD_USER_INPUT error.',
  })
  after?: string | null;
}
