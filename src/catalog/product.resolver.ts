import { Arg, Authorized, Mutation, Query, Resolver } from 'type-graphql';
import { CatalogService } from './catalog.service';
import { ProductInput } from './product.input';
import { Product } from './product.type';

@Resolver(() => Product)
export class ProductResolver {
  constructor(private readonly catalog: CatalogService) {}

  @Authorized()
  @Query(() => Product, { nullable: true })
  product(@Arg('sku') sku: string): Promise<Product | null> {
    return this.catalog.findBySku(sku);
  }

  @Authorized('admin')
  @Mutation(() => Product, {
    description: 'Admin only: create or update a catalog product (stock is set to the given value).',
  })
  upsertProduct(@Arg('input', () => ProductInput) input: ProductInput): Promise<Product> {
    return this.catalog.upsertProduct(input);
  }
}
