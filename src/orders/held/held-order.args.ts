import { ArgsType, Field, ID, Int } from 'type-graphql';
import { IdempotencyKeyField } from '../lifecycle/lifecycle.args';
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

  @Field({ description: 'Why it is dismissed (kept with the held order).' })
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

  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'At most 100.' })
  first?: number | null;
}
