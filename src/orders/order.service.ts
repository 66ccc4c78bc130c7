import { assertPageSize } from '../request/page-size';
import { KeysetPaging, parseUuid } from '../request/keyset-page';
import { UUID_PATTERN } from '../request/uuid';
import type { PageRequest } from '../request/page-size';
import { Prisma } from '../db/prisma';
import type { PrismaClient } from '../db/prisma';
import type { SqlRunner } from '../db/sql-runner';
import { findAnsweredKey, heldRequestRowSql, keyAnsweredSql } from './answered-keys';
import type { KeyedRequest } from './answered-keys';
import type { Order, OrderItem, SalesChannel } from './order.type';

/** An order a key was answered with, and the fingerprint of that key's own request. */
export interface AnsweredOrder {
  order: Order;
  fingerprint: string;
}

/** Orders a page returns when the caller does not say. */
export const DEFAULT_PAGE_SIZE = 20;
/** Orders a page returns at most. */
export const MAX_PAGE_SIZE = 100;

/** `orders`: the customer's orders, newest first. */
const CUSTOMER_ORDERS = new KeysetPaging({
  table: '"Order"',
  sortKey: 'createdAt',
  descending: true,
  parseId: parseUuid,
  refusal: "`after` must be the id of one of the caller's orders.",
});

/** Reading orders. Every read is scoped to its customer: nobody sees another customer's order. */
export class OrderService {
  constructor(
    private readonly prisma: PrismaClient,
    /** Where an order with its items is read in one statement (Database.reads: the pg pool with servers). */
    private readonly reads: SqlRunner,
  ) {}

  /**
   * The customer's order with its items and their products, or null when it does not exist or
   * belongs to someone else. One statement instead of three (order, then items and products
   * through the request's DataLoaders): this answers `order(id:)` and repeats the cache could not
   * answer, and each statement costs a round trip plus Prisma's work (docs/benchmarks.md).
   */
  async findForCustomer(id: string, customerId: string): Promise<Order | null> {
    if (!UUID_PATTERN.test(id)) return null;
    return this.findOneWithItems(Prisma.sql`o."id" = ${id}::uuid AND o."customerId" = ${customerId}`);
  }

  /**
   * The order a customer created with a key, with its items and their products, if its
   * transaction has committed: in one statement, the whole cost of a repeat on the database path.
   */
  async findForCustomerByKey(customerId: string, idempotencyKey: string): Promise<Order | null> {
    return this.findOneWithItems(Prisma.sql`o."customerId" = ${customerId} AND o."idempotencyKey" = ${idempotencyKey}`);
  }

  /**
   * The order a door named (channel, source, externalId), with its items, whoever its customer:
   * a second delivery of a marketplace order under another customer conflicts with it. Callers
   * compare fingerprints (which include the customer) before showing it to anyone.
   */
  async findByExternalIdentity(channel: SalesChannel, source: string, externalId: string): Promise<Order | null> {
    return this.findOneWithItems(
      Prisma.sql`o."channel" = ${channel}::"SalesChannel" AND o."source" = ${source} AND o."externalId" = ${externalId}`,
    );
  }

  /**
   * The order a door's key stands for at its source (a Standard Webhooks delivery's key), whoever
   * its customer: the partial unique (channel, source, idempotencyKey) index serves it.
   */
  async findByDoorKey(channel: SalesChannel, source: string, idempotencyKey: string): Promise<Order | null> {
    return this.findOneWithItems(
      Prisma.sql`o."channel" = ${channel}::"SalesChannel" AND o."source" = ${source} AND o."source" <> ''
                 AND o."idempotencyKey" = ${idempotencyKey}`,
    );
  }

  /**
   * One order matching `where` (over `"Order" o`), items in SKU order as itemsOfOrders gives them.
   * Straight on the pool with servers: Prisma's runtime took about a tenth of a read's server CPU
   * for a raw statement it only passes on (docs/benchmarks.md).
   */
  private async findOneWithItems(where: Prisma.Sql): Promise<Order | null> {
    const rows = await this.reads.query<Order>(Prisma.sql`
      SELECT o.*, COALESCE((
        SELECT json_agg(json_build_object(
                 'orderId', i."orderId", 'productId', i."productId", 'sku', i."sku",
                 'quantity', i."quantity", 'unitPriceCents', i."unitPriceCents",
                 'product', json_build_object('id', p."id", 'sku', p."sku", 'name', p."name",
                   'priceCents', p."priceCents", 'currency', p."currency", 'stock', p."stock"))
               ORDER BY i."sku")
        FROM "OrderItem" i JOIN "Product" p ON p."id" = i."productId"
        WHERE i."orderId" = o."id"), '[]'::json) AS "items"
      FROM "Order" o
      WHERE ${where}`);
    return rows[0] ?? null;
  }

  /**
   * The order the customer's key was answered with when it was another key's (see answered-keys.ts),
   * with the fingerprint of the key's own request; null when it was not.
   */
  async findAnsweredByKey(customerId: string, idempotencyKey: string): Promise<AnsweredOrder | null> {
    const answered = await findAnsweredKey(this.reads, customerId, idempotencyKey);
    const order = answered && (await this.findForCustomer(answered.orderId, customerId));
    return order ? { order, fingerprint: answered.fingerprint } : null;
  }

  /**
   * The request with other content the customer's key, or a door order's identity, holds as a
   * possible duplicate (see heldRequestSql): its id and the key it was held under; null when none.
   */
  async findHeldWithOtherContent(write: KeyedRequest): Promise<{ id: string; idempotencyKey: string } | null> {
    const [row] = await this.reads.query<{ id: string; idempotencyKey: string }>(heldRequestRowSql(write));
    return row ?? null;
  }

  /**
   * Whether the database knows the customer's key: its order, the order it was answered with
   * (answered-keys.ts), or the request it holds as a possible duplicate (src/orders/held).
   */
  async keyIsKnown(customerId: string, idempotencyKey: string): Promise<boolean> {
    const [row] = await this.reads.query<{ known: boolean }>(Prisma.sql`
      SELECT EXISTS (SELECT 1 FROM "Order" WHERE "customerId" = ${customerId} AND "idempotencyKey" = ${idempotencyKey})
          OR ${keyAnsweredSql(customerId, idempotencyKey)}
          OR EXISTS (SELECT 1 FROM "HeldOrder" WHERE "customerId" = ${customerId} AND "idempotencyKey" = ${idempotencyKey})
          AS "known"`);
    return row?.known === true;
  }

  /** The customer's order that consumed a one-time order token, if its transaction has committed. */
  async findByOrderToken(customerId: string, orderTokenId: string): Promise<Order | null> {
    return this.prisma.order.findFirst({ where: { orderTokenId, customerId } });
  }

  /**
   * A page of the customer's orders, newest first: by (createdAt, id), the keyset the index
   * (customerId, createdAt, id) reads backwards. `after` is an order of the previous page, so an
   * order placed meanwhile (newer than every page read) neither repeats nor hides one.
   */
  async listForCustomer(customerId: string, page: PageRequest): Promise<Order[]> {
    // Cut, not refused: `orders` is in the public contract, whose clients were given 100 for more.
    assertPageSize(page.first);
    return CUSTOMER_ORDERS.read<Order>(this.reads, {
      after: page.after,
      // Another customer's order is refused as an unknown one is: the answer says nothing of it.
      cursorScope: Prisma.sql`"customerId" = ${customerId}`,
      statement: (beyond) => Prisma.sql`
        SELECT * FROM "Order" WHERE "customerId" = ${customerId} AND ${beyond}
        ORDER BY ${CUSTOMER_ORDERS.orderBy()}
        LIMIT ${Math.min(page.first, MAX_PAGE_SIZE)}`,
    });
  }

  /** Items of many orders in one query, in SKU order within each order. */
  async itemsOfOrders(orderIds: readonly string[]): Promise<OrderItem[]> {
    return this.prisma.orderItem.findMany({ where: { orderId: { in: [...orderIds] } }, orderBy: [{ sku: 'asc' }] });
  }
}
