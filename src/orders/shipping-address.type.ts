import { Field, InputType, ObjectType } from 'type-graphql';
import type { ShippingAddress as Address } from '../dedupe/shipping-address';

@ObjectType({ description: 'Where an order is delivered.' })
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

  @Field({ description: 'ISO 3166-1 alpha-2 country code.' })
  country!: string;
}

@InputType()
export class ShippingAddressInput implements Address {
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

  @Field({ description: 'ISO 3166-1 alpha-2 country code, any case.' })
  country!: string;
}
