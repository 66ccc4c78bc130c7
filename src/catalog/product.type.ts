import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A catalog product. Orders are always priced from here.' })
export class Product {
  @Field(() => ID)
  id!: string;

  @Field()
  sku!: string;

  @Field()
  name!: string;

  @Field(() => Int)
  priceCents!: number;

  @Field()
  currency!: string;

  @Field(() => Int)
  stock!: number;
}
