import DataLoader from 'dataloader';
import type { CatalogService } from './catalog.service';
import type { Product } from './product.type';

/** Products by id, batched per request: one catalog query however many order items ask. */
export function createProductLoader(catalog: CatalogService): DataLoader<string, Product | null> {
  return new DataLoader(async (ids) => {
    const byId = new Map((await catalog.findByIds(ids)).map((product) => [product.id, product]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
