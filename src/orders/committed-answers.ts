import type { Transactions } from '../db/transactions';
import { reservedKeyPrefix } from '../sales-channel/door-keys';
import { rememberAnsweredKey } from './answered-keys';
import type { OrderWrite } from './order-write';
import type { OrderService } from './order.service';
import type { CreateOrderResult } from './results/create-order-result.union';
import { DetectionSource } from './results/detection-source.type';
import { DuplicateDetected } from './results/duplicate-detected.type';
import { IdempotencyKeyReused } from './results/idempotency-key-reused.type';
import { InvalidIdempotencyKey } from './results/invalid-idempotency-key.type';

/**
 * The answers of a create that placed nothing because something committed already stands for it:
 * its key (its own order, or the order it was answered with before), its door's identity, its
 * order token, or an admin's release of the hold it confirms. OrderPlacementService asks them.
 */
export class CommittedAnswers {
  constructor(
    private readonly orders: OrderService,
    private readonly transactions: Transactions,
  ) {}

  /** The key's (the identity's, the token's) order committed before ours could: a duplicate, or the key reused for something else. */
  async existing(write: OrderWrite): Promise<CreateOrderResult> {
    const { fingerprint, orderTokenId, request, external } = write;
    const byKey = await this.byKey(write);
    if (byKey) return byKey;
    // The door's identity, else its key at the source whoever the customer: one webhook-id naming
    // another order of another customer (the partial unique index of migration 20261204050000).
    const existing =
      external &&
      ((await this.orders.findByExternalIdentity(request.channel, external.source, external.externalId)) ??
        (await this.orders.findByDoorKey(request.channel, external.source, write.idempotencyKey)));
    if (existing) {
      // Named by the key that stands for the order: under a new delivery's key (a new webhook-id)
      // the answer said that key "already stands for" other content, though it never stood for any.
      if (existing.fingerprint !== fingerprint) return new IdempotencyKeyReused(existing.idempotencyKey);
      return new DuplicateDetected(existing, DetectionSource.DATABASE);
    }
    // The token's index stopped it (the token store could not say it was used): remembered as the
    // key's answer, as when the store said so (withTokenOrder).
    const replay = orderTokenId && (await this.withTokenOrder(write, orderTokenId));
    if (replay) return replay;
    // byKey reads the key's order, then its held request, each in its own snapshot: an admin's
    // release committing between the two (the held request RELEASED, its order placed) escapes both.
    // What stopped the insert is committed, and a key once taken stays taken, so a second reading
    // finds it (the released order, in a snapshot after the release's commit).
    const again = await this.byKey(write);
    if (again) return again;
    throw new Error('The order conflicted, but the order it conflicted with could not be read.');
  }

  /**
   * The answer to a customer's key of a reserved form (reservedKeyPrefix), null for any other key:
   * refused as a malformed key when new. A key that already stands for an order (stored before the
   * forms were reserved) keeps its answers, so a client retrying it never sees it change meaning;
   * hence here, after the claim, with one read, rather than in the guard's check of the key's format.
   */
  async reservedKey(write: OrderWrite): Promise<CreateOrderResult | null> {
    const prefix = write.external ? null : reservedKeyPrefix(write.idempotencyKey);
    if (prefix === null) return null;
    const message = `Idempotency keys beginning with "${prefix}" are reserved for marketplace and POS orders: choose another key.`;
    return (await this.byKey(write)) ?? new InvalidIdempotencyKey(message);
  }

  /**
   * What the key means in the database: its own order, or the order it was answered with before
   * (answered-keys.ts), as a duplicate when its request is the same and as the key reused when it
   * is not, or the key reused when it (or a door order's identity, whoever's) holds a request with
   * other content (held or dismissed); null when the key means nothing yet. The key comes before
   * the token: a key that stands for an order keeps answering with it, whatever token a retry
   * carries.
   */
  async byKey(write: OrderWrite): Promise<CreateOrderResult | null> {
    const { customerId, idempotencyKey, fingerprint } = write;
    const own = await this.orders.findForCustomerByKey(customerId, idempotencyKey);
    const found = own
      ? { order: own, fingerprint: own.fingerprint }
      : await this.orders.findAnsweredByKey(customerId, idempotencyKey);
    if (!found) {
      // Named by the key it was held under, as a placed order is by its own (existing, above).
      const held = await this.orders.findHeldWithOtherContent(write);
      return held && new IdempotencyKeyReused(held.idempotencyKey, 'order', held.id);
    }
    if (found.fingerprint !== fingerprint) return new IdempotencyKeyReused(idempotencyKey);
    return new DuplicateDetected(found.order, DetectionSource.DATABASE);
  }

  /**
   * A new key sent with a token an order already used: that order, remembered as this key's answer
   * in the database (answered-keys.ts), so that a retry of the key gets it whatever Redis holds and
   * never places an order of its own. A key answered concurrently with another order keeps that one.
   */
  async withTokenOrder(write: OrderWrite, orderTokenId: string): Promise<CreateOrderResult | null> {
    const replay = await this.tokenReplay(write.customerId, orderTokenId);
    if (!replay) return null;
    const answered = await this.transactions.run((sql) =>
      rememberAnsweredKey(sql, write.customerId, write.idempotencyKey, {
        orderId: replay.originalOrder.id,
        fingerprint: write.fingerprint,
      }),
    );
    // A concurrent request of the key won with another payload: this one is the key reused.
    if (answered.fingerprint !== write.fingerprint) return new IdempotencyKeyReused(write.idempotencyKey);
    if (answered.orderId === replay.originalOrder.id) return replay;
    const first = await this.orders.findForCustomer(answered.orderId, write.customerId);
    return first ? new DuplicateDetected(first, DetectionSource.DATABASE) : replay;
  }

  /** A confirmation an admin's release had answered already: the order that release placed (committed, and never deleted). */
  async released(write: OrderWrite, orderId: string): Promise<CreateOrderResult> {
    const order = await this.orders.findForCustomer(orderId, write.customerId);
    if (!order) throw new Error('The released order that answers this confirmation could not be read.');
    return new DuplicateDetected(order, DetectionSource.DATABASE);
  }

  /** The order that already used this token, as the answer to a replay; null when none did. */
  async tokenReplay(customerId: string, orderTokenId: string): Promise<DuplicateDetected | null> {
    const order = await this.orders.findByOrderToken(customerId, orderTokenId);
    return order && new DuplicateDetected(order, DetectionSource.TOKEN);
  }
}
