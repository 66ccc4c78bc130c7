import type { SemanticDuplicateOptions } from '../../config/semantic-duplicate-policy';
import { Prisma } from '../../db/prisma';
import type { SqlRunner } from '../../db/sql-runner';
import { RolledBack } from '../../db/transactions';
import { CREATE_ORDER } from '../../idempotency/order-decision-event';
import { staticDuplicateRule } from '../duplicate-decision';
import { writeOrder } from '../order-write';
import type { OrderRejection, OrderWrite, WriteOutcome } from '../order-write';
import type { HeldOrderRow } from './held-order';
import { heldAsReviewed } from './held-order-resolution';

/** The release that places a held order: the admin who acted, and the release request's own audit. */
export interface ReleaseAttempt {
  adminId: string;
  requestId: string;
  claim: OrderWrite['audit']['claim'];
  startedAt: number;
}

/**
 * Places a held order an admin released (held-order.service.ts), in the caller's transaction: under
 * the held key and door identity (so at most once, whichever door a retry comes through), with
 * the duplicate check bypassed as confirmPossibleDuplicate does, the stock rules as for any order.
 * A refusal (stock, a SKU gone) is answered as writeOrder answers it: an OrderRejection, for the
 * caller to roll back to its savepoint. `semantic`: placement's duplicate options, which the
 * release's write carries as any order's does (its verdict is the reviewed hold all the same).
 */
export async function placeReleasedOrder(
  sql: SqlRunner,
  held: HeldOrderRow,
  release: ReleaseAttempt,
  semantic: SemanticDuplicateOptions,
): Promise<WriteOutcome | OrderRejection> {
  const policy = semantic.policyByChannel[held.request.channel];
  const write: OrderWrite = {
    customerId: held.customerId,
    idempotencyKey: held.idempotencyKey,
    fingerprint: held.fingerprint,
    request: held.request,
    // With the token the held request carried: the token then stands for this order (a later
    // request with it is answered TOKEN), as it would had the request not been held. A token
    // another order used since is left out: the token's index would refuse the release.
    orderTokenId: (await tokenStillFree(sql, held.orderTokenId)) ? held.orderTokenId : null,
    policy,
    windowMs: semantic.windowMs,
    decide: staticDuplicateRule(policy, semantic.windowMs),
    confirmed: true,
    external: held.externalId === null ? null : { source: held.source, externalId: held.externalId },
    // The order's record is its key's (a createOrder key); the release's own record names the admin.
    audit: {
      requestId: release.requestId,
      claim: release.claim,
      startedAt: release.startedAt,
      operation: CREATE_ORDER,
    },
    release: { heldOrderId: held.id, adminId: release.adminId, reviewed: await heldAsReviewed(sql, held) },
  };
  const outcome = await writeOrder(sql, write);
  // Another order took the token between the check and the insert (the insert waited for it to
  // commit, then placed nothing: its ON CONFLICT has no target). The release places without it.
  const placedNothing = !(outcome instanceof RolledBack) && outcome.kind === 'existing';
  if (placedNothing && write.orderTokenId !== null && !(await tokenStillFree(sql, write.orderTokenId)))
    return writeOrder(sql, { ...write, orderTokenId: null });
  return outcome;
}

/** Whether no order holds this order token (false for none). */
async function tokenStillFree(sql: SqlRunner, orderTokenId: string | null): Promise<boolean> {
  if (orderTokenId === null) return false;
  const used = await sql.query(Prisma.sql`SELECT 1 FROM "Order" WHERE "orderTokenId" = ${orderTokenId}`);
  return used.length === 0;
}
