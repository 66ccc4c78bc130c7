import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The adjustment would leave less than no stock. Nothing changed.' })
export class StockWouldGoNegative {
  @Field()
  sku: string;

  @Field(() => Int)
  stock: number;

  @Field(() => Int)
  delta: number;

  constructor(sku: string, stock: number, delta: number) {
    this.sku = sku;
    this.stock = stock;
    this.delta = delta;
  }
}
