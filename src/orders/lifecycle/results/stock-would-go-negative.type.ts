import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The adjustment would leave less than no stock. Nothing changed.' })
export class StockWouldGoNegative {
  @Field({ description: "The product's SKU (trimmed, upper case)." })
  sku: string;

  @Field(() => Int, { description: 'The units in stock now.' })
  stock: number;

  @Field(() => Int, { description: 'The delta asked for.' })
  delta: number;

  constructor(sku: string, stock: number, delta: number) {
    this.sku = sku;
    this.stock = stock;
    this.delta = delta;
  }
}
