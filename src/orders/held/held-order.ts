import { HELD_AGAIN_SOURCE, auditRecordOf, insertAuditRecordsSql } from '../../audit/audit-record';
import type { SalesChannel } from '../../db/generated/enums';
import { Prisma } from '../../db/prisma';
import type { SqlRunner } from '../../db/sql-runner';
import type { ComparedCandidate } from '../../dedupe/possible-duplicate';
import { verdictAudit } from '../duplicate-decision';
import type { DuplicateVerdict } from '../duplicate-decision';
import type { ClaimState } from 'graphql-idempotency';
import type { OrderRequest } from '../order-request';
import type { Order } from '../order.type';

/**
 * A held order: what it is, and how the placement transaction holds one. How a held request sent
 * again is recognized and answered is retried-hold.ts; an admin's release or dismissal of one,
 * held-order-resolution.ts; the orders that settle it, held-order-settlement.ts.
 */

/** What holding or settling needs of an order write (writeOrder's OrderWrite has it all). */
export interface HeldOrderWrite {
  customerId: string;
  idempotencyKey: string;
  fingerprint: string;
  request: OrderRequest;
  confirmed: boolean;
  external?: { source: string; externalId: string } | null;
  /** The one-time order token's id the request carried, if any. */
  orderTokenId?: string | null;
  audit: { requestId: string; claim: ClaimState; startedAt: number; operation?: string };
  release?: HeldRelease;
}

/**
 * An admin's release of a held order: the held row it settles, who acted, and the hold the admin
 * reviewed (heldAsReviewed), which the placed order keeps as its possible duplicate.
 */
export interface HeldRelease {
  heldOrderId: string;
  adminId: string;
  reviewed: RetriedHold;
}

/** Where a held order stands. */
export type HeldOrderState = 'HELD' | 'RELEASED' | 'DISMISSED' | 'PLACED';

/** One row of "HeldOrder": a held new-key order, with what it takes to place it later. */
export interface HeldOrderRow {
  id: string;
  customerId: string;
  idempotencyKey: string;
  fingerprint: string;
  channel: SalesChannel;
  /** '' for GraphQL and REST orders. */
  source: string;
  externalId: string | null;
  request: OrderRequest;
  candidateOrderId: string;
  similarity: number;
  reasons: string[];
  status: HeldOrderState;
  orderId: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  dismissReason: string | null;
  /** RELEASED: the confirmation the release answered (see held-order-settlement.ts). */
  confirmationKey: string | null;
  /** The order token the held request carried, which a release places the order with. */
  orderTokenId: string | null;
  /** When it was (last) held; a release, dismissal or settlement leaves it. */
  heldAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** A hold decided: the held row, and the candidate it was held against, as it is now. */
export interface HeldDecision {
  heldOrder: HeldOrderRow;
  candidate: Order;
}

/**
 * The held request an order retries, as the candidate lookup finds it (retriedHoldSql): its row,
 * the key it is kept under, and the candidate it was held against with its placing time.
 */
export interface RetriedHold {
  id: string;
  idempotencyKey: string;
  candidateOrderId: string;
  similarity: number;
  reasons: string[];
  /** null when the candidate is gone (orders are cancelled, never deleted: not expected). */
  candidateCreatedAt: string | null;
  /**
   * The score of the model that decided the first hold (its audit record's, when that record says
   * the model decided: riskMode `decide`, riskAction HOLD); null under today's rule or in shadow mode.
   */
  riskScore: number | null;
  riskModelVersion: string | null;
}

/**
 * Holds the order in the placement transaction (called by writeOrder once the verdict is HOLD, or
 * when the order retries a held request): the candidate is read again, and if it still stands, one
 * statement drops the order row this transaction inserted, writes the held order (the request, its
 * key, door and candidate) and the audit record of the hold. Everything commits together, or
 * nothing does. A held request retried (`heldKey`, the key it is kept under: the order's own, or
 * another delivery's of the same door identity) keeps its row: a still-held row takes the latest
 * request; a dismissed one is held again for review with it (HELD, the dismissal's resolver, time
 * and reason cleared: the dismissal stays in AppliedChange and the audit log), so the heldOrderId
 * the customer is given is one an admin can act on; a released or placed one stays as it was.
 * Null when the candidate was cancelled meanwhile: nothing to hold against.
 */
export async function holdOrder(
  sql: SqlRunner,
  orderId: string,
  write: HeldOrderWrite,
  verdict: DuplicateVerdict & { candidate: ComparedCandidate },
  heldKey: string = write.idempotencyKey,
): Promise<HeldDecision | null> {
  const { customerId, idempotencyKey, fingerprint, request, external } = write;
  const [candidate] = await sql.query<Order>(Prisma.sql`
    SELECT * FROM "Order" WHERE "id" = ${verdict.candidate.candidateId}::uuid AND "status" <> 'CANCELLED'`);
  if (!candidate) return null;
  const { match } = verdict.candidate;
  const record = auditRecordOf(
    {
      decision: 'possible_duplicate',
      ...(verdict.resent ? { source: HELD_AGAIN_SOURCE } : {}),
      claim: write.audit.claim,
      customerId,
      key: idempotencyKey,
      fingerprint,
      relatedResourceId: candidate.id,
      channel: request.channel,
      salesSource: external?.source,
      latencyMs: performance.now() - write.audit.startedAt,
      at: new Date(),
      operation: write.audit.operation,
      ...verdictAudit(verdict),
    },
    { requestId: write.audit.requestId },
  );
  const [held] = await sql.query<HeldOrderRow>(Prisma.sql`
    WITH dropped AS (
      DELETE FROM "Order" WHERE "id" = ${orderId}::uuid
    ), audit AS (
      ${insertAuditRecordsSql([record])}
    )
    INSERT INTO "HeldOrder" ("id", "customerId", "idempotencyKey", "fingerprint", "channel", "source", "externalId",
                             "request", "candidateOrderId", "similarity", "reasons", "orderTokenId")
    VALUES (gen_random_uuid(), ${customerId}, ${heldKey}, ${fingerprint}, ${request.channel}::"SalesChannel",
            ${external?.source ?? ''}, ${external?.externalId ?? null}, ${JSON.stringify(request)}::jsonb,
            ${candidate.id}::uuid, ${match.similarity}, ${match.reasons}::text[], ${write.orderTokenId ?? null})
    ON CONFLICT ("customerId", "idempotencyKey") DO UPDATE SET
      "fingerprint" = EXCLUDED."fingerprint", "channel" = EXCLUDED."channel", "source" = EXCLUDED."source",
      "externalId" = EXCLUDED."externalId", "request" = EXCLUDED."request",
      "candidateOrderId" = EXCLUDED."candidateOrderId", "similarity" = EXCLUDED."similarity",
      "reasons" = EXCLUDED."reasons", "orderTokenId" = EXCLUDED."orderTokenId", "updatedAt" = now(), "heldAt" = now(),
      "status" = 'HELD', "resolvedBy" = NULL, "resolvedAt" = NULL, "dismissReason" = NULL
      WHERE "HeldOrder"."status" IN ('HELD', 'DISMISSED')
    RETURNING *`);
  const heldOrder =
    held ??
    (
      await sql.query<HeldOrderRow>(Prisma.sql`
      SELECT * FROM "HeldOrder" WHERE "customerId" = ${customerId} AND "idempotencyKey" = ${heldKey}`)
    )[0];
  return { heldOrder, candidate };
}
