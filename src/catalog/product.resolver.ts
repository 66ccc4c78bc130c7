import { Arg, Authorized, Mutation, Query, Resolver } from 'type-graphql';
import { CatalogService } from './catalog.service';
import { ProductInput } from './product.input';
import { Product } from './product.type';

@Resolver(() => Product)
export class ProductResolver {
  constructor(private readonly catalog: CatalogService) {}

  @Authorized()
  @Query(() => Product, { nullable: true, description: 'The catalog product with this SKU, or null when none has it.' })
  product(
    @Arg('sku', { description: 'The SKU, compared without case and surrounding spaces.' }) sku: string,
  ): Promise<Product | null> {
    return this.catalog.findBySku(sku);
  }

  @Authorized('admin')
  @Mutation(() => Product, {
    description: 'Admin only: create or update a catalog product (stock is set to the given value).',
  })
  upsertProduct(
    @Arg('input', () => ProductInput, { description: 'The product; its SKU says which one.' }) input: ProductInput,
  ): Promise<Product> {
    return this.catalog.upsertProduct(input);
  }
}
