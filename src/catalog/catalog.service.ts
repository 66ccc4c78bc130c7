import { GraphQLError } from 'graphql';
import type { PrismaClient } from '../db/prisma';
import type { Product } from './product.type';
import type { ProductInput } from './product.input';
import { MAX_SKU_LENGTH, normalizeCurrency, normalizeSku } from './sku';

const MAX_INT = 2_147_483_647;

/** The product catalog: the only source of prices and stock. */
export class CatalogService {
  constructor(private readonly prisma: PrismaClient) {}

  async findBySku(sku: string): Promise<Product | null> {
    return this.prisma.product.findUnique({ where: { sku: normalizeSku(sku) } });
  }

  async findByIds(ids: readonly string[]): Promise<Product[]> {
    return this.prisma.product.findMany({ where: { id: { in: [...ids] } } });
  }

  /** Creates the product or updates it in place; stock is set, not added. */
  async upsertProduct(input: ProductInput): Promise<Product> {
    const data = validProduct(input);
    return this.prisma.product.upsert({ where: { sku: data.sku }, create: data, update: data });
  }
}

function validProduct(input: ProductInput): ProductInput {
  const sku = normalizeSku(input.sku);
  const name = input.name.trim();
  const currency = normalizeCurrency(input.currency);
  if (sku.length === 0 || sku.length > MAX_SKU_LENGTH) invalid('sku', `The SKU must be 1 to ${MAX_SKU_LENGTH} characters.`);
  if (name.length === 0 || name.length > 200) invalid('name', 'The name must be 1 to 200 characters.');
  if (!currency) invalid('currency', 'The currency must be a three-letter ISO 4217 code.');
  if (input.priceCents < 0 || input.priceCents > MAX_INT) invalid('priceCents', 'The price must not be negative.');
  if (input.stock < 0 || input.stock > MAX_INT) invalid('stock', 'The stock must not be negative.');
  return { sku, name, currency: currency as string, priceCents: input.priceCents, stock: input.stock };
}

function invalid(field: string, message: string): never {
  throw new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}
