import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A catalog product. Orders are always priced from here.' })
export class Product {
  @Field(() => ID, { description: "The product's id (a UUID)." })
  id!: string;

  @Field({ description: 'Its stock-keeping unit, unique (trimmed, upper case).' })
  sku!: string;

  @Field({ description: 'Its display name.' })
  name!: string;

  @Field(() => Int, { description: 'The unit price today, in cents of `currency`; new orders are priced with it.' })
  priceCents!: number;

  @Field({ description: 'The ISO 4217 code it is sold in: an order of it must be in this currency.' })
  currency!: string;

  @Field(() => Int, { description: 'Units in stock: orders take from it, cancellations return it; never below 0.' })
  stock!: number;
}
