import { GraphQLError } from 'graphql';
import { Prisma } from '../db/prisma';
import type { PrismaClient } from '../db/prisma';
import type { SqlRunner } from '../db/sql-runner';
import { TtlCache } from '../stores/ttl-cache';
import type { Product } from './product.type';
import type { ProductInput } from './product.input';
import { MAX_INT4 } from '../db/int-range';
import { isStorableText, UNSTORABLE_CHARACTERS } from '../db/storable-text';
import { firstUnprintable, isBlank, UNPRINTABLE_CHARACTERS } from '../request/printable-text';
import { CURRENCY_RULE, normalizeCurrency, SKU_RULE, validSku } from './sku';

/** Products remembered while reads are in flight that are told apart; past it, every read in flight is dropped (see CatalogService). */
const MAX_REMEMBERED_WHILE_READING = 10_000;

/** Options of the catalog. */
export interface CatalogOptions {
  /**
   * How long a product read for an order's items may be served from this process's memory (ms);
   * 0 reads the database every time. Default 1 000.
   */
  productCacheTtlMs?: number;
}

/**
 * The product catalog: the only source of prices and stock. Orders are priced from the locked
 * rows inside their transaction, never from here; this serves the products shown on order items
 * (a repeat answered from the cache shows them without a database read), from a short-lived
 * in-process cache: a product changed on this instance is dropped from it at once, one changed on
 * another instance shows its new name, price or stock within the TTL.
 */
export class CatalogService {
  private readonly cache: TtlCache<Product> | undefined;
  private readonly cacheTtlMs: number;
  /** Reads on their way (with the cache on), by product id: a request that misses a product being read waits for that read. */
  private readonly reading = new Map<string, Promise<Map<string, Product>>>();
  /** Bumped by every change made here: a read that began before one is not remembered. */
  private changes = 0;
  /**
   * Products remembered from elsewhere (an order's locked rows) while reads were on their way, by
   * the count of remembers when it happened: a read that began before keeps its older row to itself.
   * Only reads in flight look at it, so it is emptied whenever none is (and, past the cache's size,
   * turned into a change, which no read in flight then remembers).
   */
  private readonly rememberedWhileReading = new Map<string, number>();
  private remembers = 0;
  private readonly changeListeners: (() => void)[] = [];

  constructor(
    private readonly prisma: PrismaClient,
    /** Where the products of order items are read (Database.reads). */
    private readonly reads: SqlRunner,
    options: CatalogOptions = {},
  ) {
    this.cacheTtlMs = options.productCacheTtlMs ?? 1_000;
    this.cache = this.cacheTtlMs > 0 ? new TtlCache({ maxEntries: 10_000 }) : undefined;
  }

  async findBySku(sku: string): Promise<Product | null> {
    const valid = validSku(sku);
    // A SKU no product can have (too long, not storable text) names none: nothing to ask the database.
    return valid === null ? null : this.prisma.product.findUnique({ where: { sku: valid } });
  }

  /**
   * Products by id, from the cache where it has them fresh, else from a read already on its way
   * (when the products of many stored answers expire together, their repeats would otherwise each
   * read them), the rest in one query.
   */
  async findByIds(ids: readonly string[]): Promise<Product[]> {
    if (ids.length === 0) return [];
    if (!this.cache) return this.read(ids);
    const found: Product[] = [];
    const waiting = new Map<string, Promise<Map<string, Product>>>();
    const missing: string[] = [];
    for (const id of ids) {
      const cached = this.cache.get(id);
      const inFlight = cached ? undefined : this.reading.get(id);
      if (cached) found.push(cached);
      else if (inFlight) waiting.set(id, inFlight);
      else missing.push(id);
    }
    if (missing.length > 0) {
      const read = this.read(missing).then((products) => new Map(products.map((product) => [product.id, product])));
      for (const id of missing) {
        this.reading.set(id, read);
        waiting.set(id, read);
      }
      // Once settled it is the cache's (or, failed, nobody's): later requests no longer wait for it.
      const forget = () => {
        for (const id of missing) if (this.reading.get(id) === read) this.reading.delete(id);
        if (this.reading.size === 0) this.rememberedWhileReading.clear();
      };
      read.then(forget, forget);
    }
    if (waiting.size === 0) return found;
    const answers = await Promise.all(waiting.values());
    let index = 0;
    for (const id of waiting.keys()) {
      const product = answers[index++].get(id);
      if (product) found.push(product);
    }
    return found;
  }

  /** One raw statement on the pool: about a fifth of the CPU of Prisma's findMany for the same rows. */
  private async read(ids: readonly string[]): Promise<Product[]> {
    const [changes, remembers] = [this.changes, this.remembers];
    const read = await this.reads.query<Product>(Prisma.sql`
      SELECT "id", "sku", "name", "priceCents", "currency", "stock" FROM "Product" WHERE "id" = ANY(${ids}::uuid[])`);
    if (changes === this.changes)
      for (const product of read)
        if ((this.rememberedWhileReading.get(product.id) ?? 0) <= remembers)
          this.cache?.set(product.id, product, this.cacheTtlMs);
    return read;
  }

  /**
   * Keeps products read elsewhere as fresh as a read here would be (an order transaction's rows,
   * read under their locks and as its commit left them), so the order's answer needs no read.
   */
  remember(products: readonly Product[]): void {
    if (!this.cache) return;
    this.remembers += 1;
    for (const product of products) {
      this.cache.set(product.id, product, this.cacheTtlMs);
      if (this.reading.size > 0) this.rememberedWhileReading.set(product.id, this.remembers);
    }
    if (this.rememberedWhileReading.size > MAX_REMEMBERED_WHILE_READING) {
      this.rememberedWhileReading.clear();
      this.changes += 1;
    }
  }

  /** Creates the product or updates it in place; stock is set, not added. */
  async upsertProduct(input: ProductInput): Promise<Product> {
    const data = validProduct(input);
    const product = await this.prisma.product.upsert({ where: { sku: data.sku }, create: data, update: data });
    this.changes += 1;
    this.cache?.delete(product.id);
    this.reading.delete(product.id);
    for (const listener of this.changeListeners) listener();
    return product;
  }

  /** Calls `listener` whenever this process changes a product (what caches the products shown must drop). */
  onProductChanged(listener: () => void): void {
    this.changeListeners.push(listener);
  }
}

function validProduct(input: ProductInput): ProductInput {
  const sku = validSku(input.sku) ?? invalid('sku', SKU_RULE);
  const name = input.name.trim();
  const currency = normalizeCurrency(input.currency);
  if (isBlank(name) || name.length > 200 || !isStorableText(name))
    invalid('name', `The name must be 1 to 200 characters, none of them ${UNSTORABLE_CHARACTERS}.`);
  // Shown on every order line and receipt, as an address is on a label: the same characters refused.
  const unprintable = firstUnprintable(name);
  if (unprintable)
    invalid('name', `The name holds ${unprintable}: none of its characters may be ${UNPRINTABLE_CHARACTERS}.`);
  if (!currency) invalid('currency', CURRENCY_RULE);
  if (input.priceCents < 0 || input.priceCents > MAX_INT4) invalid('priceCents', 'The price must not be negative.');
  if (input.stock < 0 || input.stock > MAX_INT4) invalid('stock', 'The stock must not be negative.');
  return { sku, name, currency: currency, priceCents: input.priceCents, stock: input.stock };
}

function invalid(field: string, message: string): never {
  throw new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}
