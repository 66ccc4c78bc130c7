import { ArgsType, Field, ID, Int } from 'type-graphql';
import { HeldOrderStatus } from './held-order.type';

const KEY_DESCRIPTION =
  'Scoped to the admin and the operation; the same key with the same arguments returns the first answer.';

@ArgsType()
export class ReleaseHeldOrderArgs {
  @Field(() => ID)
  heldOrderId!: string;

  @Field({ description: KEY_DESCRIPTION })
  idempotencyKey!: string;
}

@ArgsType()
export class DismissHeldOrderArgs {
  @Field(() => ID)
  heldOrderId!: string;

  @Field({ description: KEY_DESCRIPTION })
  idempotencyKey!: string;

  @Field({ description: 'Why it is dismissed (kept with the held order).' })
  reason!: string;
}

@ArgsType()
export class HeldOrdersArgs {
  @Field(() => HeldOrderStatus, { nullable: true, defaultValue: HeldOrderStatus.HELD })
  status?: HeldOrderStatus | null;

  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'At most 100.' })
  first?: number | null;
}
