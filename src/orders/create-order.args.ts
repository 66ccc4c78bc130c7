import { ArgsType, Field } from 'type-graphql';
import { CreateOrderInput } from './create-order.input';

/** The arguments of createOrder, declared once: the guard parses and fingerprints them once. */
@ArgsType()
export class CreateOrderArgs {
  @Field({
    description:
      'Scoped to the caller; the same key with the same input returns the original order. Keys beginning with ' +
      '`marketplace:`, `marketplace.`, `pos:` or `pos.` are reserved for marketplace and POS orders (InvalidIdempotencyKey).',
  })
  idempotencyKey!: string;

  @Field(() => CreateOrderInput, { description: 'The order to place.' })
  input!: CreateOrderInput;
}
