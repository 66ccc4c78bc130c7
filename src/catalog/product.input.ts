import { Field, InputType, Int } from 'type-graphql';

@InputType()
export class ProductInput {
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
