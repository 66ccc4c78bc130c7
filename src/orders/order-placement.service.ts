import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '../db/prisma';
import type { OrderTokenService } from '../order-tokens/order-token.service';
import { cartSignature } from '../dedupe/cart-signature';
import { findPossibleDuplicate } from '../dedupe/possible-duplicate';
import { DEFAULT_SEMANTIC_DUPLICATE_OPTIONS } from '../dedupe/semantic-duplicate-policy';
import type { SemanticDuplicateOptions, SemanticDuplicatePolicy } from '../dedupe/semantic-duplicate-policy';
import type { CreateOrderInput } from './create-order.input';
import {
  DetectionSource,
  DuplicateDetected,
  IdempotencyKeyReused,
  InsufficientStock,
  InvalidOrderToken,
  OrderCreated,
  RequestInProgress,
  PossibleDuplicate,
  ValidationFailed,
} from './create-order-outcomes.type';
import type { CreateOrderResult } from './create-order-result.union';
import { fingerprintOrderRequest, parseOrderRequest } from './order-request';
import type { OrderRequest } from './order-request';
import type { OrderService } from './order.service';
import { OrderStatus } from './order.type';
import type { Order, OrderItem } from './order.type';

const MAX_TOTAL_CENTS = 2_147_483_647;

/** Timing options of order transactions. */
export interface OrderPlacementOptions {
  /** How long a transaction may wait for a pooled connection (ms). Storms queue here. Default 10 000. */
  maxWaitMs?: number;
  /** How long one order transaction may run (ms). Default 20 000. */
  timeoutMs?: number;
  /** Semantic duplicate detection. Default: HOLD on every channel, a 10-minute window. */
  semanticDuplicates?: SemanticDuplicateOptions;
}

interface ProductRow {
  id: string;
  sku: string;
  priceCents: number;
  currency: string;
  stock: number;
}

type Transaction = Prisma.TransactionClient;
type WriteOutcome = { kind: 'created'; order: Order; semanticMatch?: 'flagged' | 'confirmed' } | { kind: 'existing' };

/** An expected reason to create nothing: it rolls the transaction back and becomes the answer. */
class OrderRejected extends Error {
  constructor(readonly outcome: CreateOrderResult) {
    super('order rejected');
  }
}

/**
 * Places orders. One interactive transaction inserts the order, reserves stock and writes the
 * items, all or nothing. The unique (customerId, idempotencyKey) index decides duplicates: the
 * order row goes in first with ON CONFLICT DO NOTHING, so a repeat waits for the first request's
 * transaction, finds its row, and touches no stock at all. A one-time order token is checked and
 * held before the transaction, written with the order (its id is unique too), and then marked
 * used, or given back when no order came of it.
 */
export class OrderPlacementService {
  private readonly transactionOptions: { maxWait: number; timeout: number };
  private readonly semantic: SemanticDuplicateOptions;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly orders: OrderService,
    private readonly tokens: OrderTokenService,
    options: OrderPlacementOptions = {},
  ) {
    this.transactionOptions = { maxWait: options.maxWaitMs ?? 10_000, timeout: options.timeoutMs ?? 20_000 };
    this.semantic = options.semanticDuplicates ?? DEFAULT_SEMANTIC_DUPLICATE_OPTIONS;
  }

  async placeOrder(customerId: string, idempotencyKey: string, input: CreateOrderInput): Promise<CreateOrderResult> {
    const parsed = parseOrderRequest(input);
    if (!parsed.ok) return new ValidationFailed(parsed.field, parsed.message);
    const fingerprint = fingerprintOrderRequest(customerId, parsed.request);
    const write: OrderWrite = {
      customerId,
      idempotencyKey,
      fingerprint,
      request: parsed.request,
      orderTokenId: null,
      policy: this.semantic.policyByChannel[parsed.request.channel],
      windowMs: this.semantic.windowMs,
      confirmed: input.confirmPossibleDuplicate === true,
    };
    return input.orderToken == null ? this.place(write) : this.placeWithToken(write, input.orderToken);
  }

  private async placeWithToken(write: OrderWrite, token: string): Promise<CreateOrderResult> {
    const admission = await this.tokens.admit(write.customerId, token);
    switch (admission.kind) {
      case 'invalid':
        return new InvalidOrderToken(admission.message);
      case 'in-use':
        return new RequestInProgress(write.idempotencyKey, admission.retryAfterMs);
      case 'expired':
        return (await this.tokenReplay(write.customerId, admission.tokenId)) ?? new InvalidOrderToken('The order token has expired.');
      case 'used':
        return (await this.tokenReplay(write.customerId, admission.tokenId)) ?? new InvalidOrderToken('The order token was already used.');
    }
    let result: CreateOrderResult;
    try {
      result = await this.place({ ...write, orderTokenId: admission.tokenId });
    } catch (error) {
      await this.tokens.settle(admission.hold, null);
      throw error;
    }
    await this.tokens.settle(admission.hold, orderThatUsedToken(result, admission.tokenId));
    return result;
  }

  private async place(write: OrderWrite): Promise<CreateOrderResult> {
    let outcome: WriteOutcome;
    try {
      outcome = await this.prisma.$transaction((tx) => writeOrder(tx, write), this.transactionOptions);
    } catch (error) {
      if (error instanceof OrderRejected) return error.outcome;
      throw error;
    }
    if (outcome.kind === 'created') return new OrderCreated(outcome.order, outcome.semanticMatch);
    return this.answerExisting(write);
  }

  /** The key's (or the token's) order committed before ours could: a duplicate, or the key reused for something else. */
  private async answerExisting({ customerId, idempotencyKey, fingerprint, orderTokenId }: OrderWrite): Promise<CreateOrderResult> {
    const existing = await this.orders.findByKey(customerId, idempotencyKey);
    if (existing) {
      if (existing.fingerprint !== fingerprint) return new IdempotencyKeyReused(idempotencyKey);
      return new DuplicateDetected(existing, DetectionSource.DATABASE);
    }
    const replay = orderTokenId && (await this.tokenReplay(customerId, orderTokenId));
    if (replay) return replay;
    throw new Error('The order conflicted, but the order it conflicted with could not be read.');
  }

  /** The order that already used this token, as the answer to a replay; null when none did. */
  private async tokenReplay(customerId: string, orderTokenId: string): Promise<DuplicateDetected | null> {
    const order = await this.orders.findByOrderToken(customerId, orderTokenId);
    return order && new DuplicateDetected(order, DetectionSource.TOKEN);
  }
}

/** The id of the order that now holds the token (ours, or the one found holding it), or null if none does. */
function orderThatUsedToken(result: CreateOrderResult, orderTokenId: string): string | null {
  if (result instanceof OrderCreated) return result.order.id;
  if (result instanceof DuplicateDetected && result.originalOrder.orderTokenId === orderTokenId) return result.originalOrder.id;
  return null;
}

interface OrderWrite {
  customerId: string;
  idempotencyKey: string;
  fingerprint: string;
  request: OrderRequest;
  /** The one-time token this order consumes, if any. */
  orderTokenId: string | null;
  policy: SemanticDuplicatePolicy;
  windowMs: number;
  /** The client confirmed a held possible duplicate. */
  confirmed: boolean;
}

async function writeOrder(tx: Transaction, write: OrderWrite): Promise<WriteOutcome> {
  const { customerId, idempotencyKey, fingerprint, request, orderTokenId } = write;
  const orderId = randomUUID();
  const signature = cartSignature(request);
  const address = request.shippingAddress ? JSON.stringify(request.shippingAddress) : null;
  // First, so that a repeat stops here: ON CONFLICT waits for a concurrent insert of the same key
  // (or the same order token) to commit or roll back, and neither aborts this transaction nor
  // leaves a dead tuple. No conflict target: both unique indexes must stop a repeat.
  const inserted = await tx.$queryRaw<{ createdAt: Date }[]>`
    INSERT INTO "Order" ("id", "customerId", "idempotencyKey", "fingerprint", "orderTokenId", "status", "channel", "currency", "totalCents",
                         "cartSignature", "shippingAddress", "updatedAt")
    VALUES (${orderId}::uuid, ${customerId}, ${idempotencyKey}, ${fingerprint}, ${orderTokenId}, 'CONFIRMED',
            ${request.channel}::"SalesChannel", ${request.currency}, 0, ${signature}, ${address}::jsonb, now())
    ON CONFLICT DO NOTHING
    RETURNING "createdAt"`;
  const createdAt = inserted[0]?.createdAt;
  if (!createdAt) return { kind: 'existing' };

  // After the key check (a retry of this key is a DuplicateDetected, never a possible duplicate).
  const possible =
    write.policy === 'OFF'
      ? null
      : await findPossibleDuplicate(tx, { id: orderId, customerId, cartSignature: signature, ...request, createdAt }, write.windowMs);
  if (possible && write.policy === 'HOLD' && !write.confirmed) {
    const candidate = await tx.order.findUniqueOrThrow({ where: { id: possible.candidateId }, include: { items: true } });
    throw new OrderRejected(new PossibleDuplicate(candidate, possible.match.similarity, possible.match.reasons));
  }
  const possibleDuplicateOfId = possible?.candidateId ?? null;

  // Lock the products in one fixed order so that concurrent orders can never deadlock.
  const skus = request.lines.map((line) => line.sku);
  const products = await tx.$queryRaw<ProductRow[]>`
    SELECT "id", "sku", "priceCents", "currency", "stock" FROM "Product"
    WHERE "sku" = ANY(${skus}::text[]) ORDER BY "sku" FOR UPDATE`;
  const items = priceLines(orderId, request, products);
  const totalCents = items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
  if (totalCents > MAX_TOTAL_CENTS) throw new OrderRejected(new ValidationFailed('items', 'The order total is too large.'));

  const reserved = await tx.$executeRaw`
    UPDATE "Product" AS p SET "stock" = p."stock" - v.quantity, "updatedAt" = now()
    FROM unnest(${items.map((item) => item.productId)}::uuid[], ${items.map((item) => item.quantity)}::int[]) AS v(id, quantity)
    WHERE p."id" = v.id AND p."stock" >= v.quantity`;
  if (reserved !== items.length) throw new Error('Stock changed under a held row lock.');
  await tx.orderItem.createMany({ data: items });
  await tx.$executeRaw`
    UPDATE "Order" SET "totalCents" = ${totalCents}, "possibleDuplicateOfId" = ${possibleDuplicateOfId}::uuid WHERE "id" = ${orderId}::uuid`;
  return {
    kind: 'created',
    ...(possible ? { semanticMatch: write.confirmed ? 'confirmed' : 'flagged' } : {}),
    order: {
      id: orderId,
      customerId,
      idempotencyKey,
      fingerprint,
      orderTokenId,
      status: OrderStatus.CONFIRMED,
      channel: request.channel,
      currency: request.currency,
      totalCents,
      createdAt,
      items,
      shippingAddress: request.shippingAddress ?? null,
      possibleDuplicateOfId,
      mergedIntoId: null,
    },
  };
}

/** Prices each line from the locked catalog rows, or rejects the order with the first problem found. */
function priceLines(orderId: string, request: OrderRequest, products: ProductRow[]): OrderItem[] {
  const bySku = new Map(products.map((product) => [product.sku, product]));
  return request.lines.map((line) => {
    const product = bySku.get(line.sku);
    if (!product) throw new OrderRejected(new ValidationFailed('items', `Unknown SKU ${line.sku}.`));
    if (product.currency !== request.currency) {
      const message = `${line.sku} is sold in ${product.currency}, not ${request.currency}.`;
      throw new OrderRejected(new ValidationFailed('currency', message));
    }
    if (product.stock < line.quantity) throw new OrderRejected(new InsufficientStock(line.sku, line.quantity, product.stock));
    return { orderId, productId: product.id, sku: line.sku, quantity: line.quantity, unitPriceCents: product.priceCents };
  });
}
