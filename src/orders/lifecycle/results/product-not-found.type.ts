import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'No product has this SKU. Nothing changed.' })
export class ProductNotFound {
  @Field({ description: 'The SKU asked for (trimmed, upper case).' })
  sku: string;

  constructor(sku: string) {
    this.sku = sku;
  }
}
