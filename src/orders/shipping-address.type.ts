import { Field, InputType, ObjectType } from 'type-graphql';
import type { ShippingAddress as Address } from '../dedupe/shipping-address';
import { SHIPPING_ADDRESS_RULE } from './shipping-address-rule';

/** One class for both directions: the address comes back exactly as it was given. */
@ObjectType('ShippingAddress', { description: 'Where an order is delivered.' })
@InputType('ShippingAddressInput', { description: `Where to deliver. ${SHIPPING_ADDRESS_RULE}` })
export class ShippingAddress implements Address {
  @Field(() => String, { nullable: true, description: 'The recipient; null when not given.' })
  name?: string | null;

  @Field({ description: 'The first address line (required, not blank).' })
  line1!: string;

  @Field(() => String, { nullable: true, description: 'A second address line; null when not given.' })
  line2?: string | null;

  @Field({ description: 'The city or town (required, not blank).' })
  city!: string;

  @Field(() => String, { nullable: true, description: 'The state, province or county; null when not given.' })
  region?: string | null;

  @Field({
    description:
      'The postal or ZIP code: required, not blank, except where the country has no postal codes (HK, AE, QA and others: see docs/duplicates.md), where it may be empty.',
  })
  postalCode!: string;

  @Field({ description: 'ISO 3166-1 alpha-2 country code (any case on input).' })
  country!: string;
}
