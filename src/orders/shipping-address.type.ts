import { Field, InputType, ObjectType } from 'type-graphql';
import type { ShippingAddress as Address } from '../dedupe/shipping-address';

/** One class for both directions: the address comes back exactly as it was given. */
@ObjectType('ShippingAddress', { description: 'Where an order is delivered.' })
@InputType('ShippingAddressInput')
export class ShippingAddress implements Address {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field()
  line1!: string;

  @Field(() => String, { nullable: true })
  line2?: string | null;

  @Field()
  city!: string;

  @Field(() => String, { nullable: true })
  region?: string | null;

  @Field()
  postalCode!: string;

  @Field({ description: 'ISO 3166-1 alpha-2 country code (any case on input).' })
  country!: string;
}
