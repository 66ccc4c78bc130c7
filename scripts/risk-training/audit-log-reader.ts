import type { AuditEventRow, AuditHistory, OrderRow } from './audit-history';

/** Runs one SQL statement with positional parameters and answers its rows (a pg client's `query`). */
export type SqlQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** Candidates are looked for this far before `since` (ms), so the first attempts have theirs. */
const LOOKBACK_MARGIN_MS = 3_600_000;

/**
 * Reads the history a model learns from out of PostgreSQL: the audit events since `since` and the
 * orders (with items) from an hour before it. Everything is held in memory: bound it with `since`.
 */
export async function readAuditHistory(query: SqlQuery, since: Date): Promise<AuditHistory> {
  const eventRows = await query(
    `SELECT "id"::text AS id, "at", "outcome", "customerId", "idempotencyKey", "channel"::text AS channel,
            "orderId"::text AS "orderId", "relatedOrderId"::text AS "relatedOrderId", "similarity", "candidateAgeMs",
            "candidateEquivalent", "operation",
            "salesSource", "source"
     FROM "IdempotencyAuditEvent" WHERE "at" >= $1 ORDER BY "at", "id"`,
    [since],
  );
  const orderRows = await query(
    `SELECT o."id"::text AS id, o."customerId", o."channel"::text AS channel, NULLIF(o."source", '') AS "salesSource",
            o."status"::text AS status, o."currency",
            o."createdAt", o."updatedAt", o."shippingAddress", o."mergedIntoId"::text AS "mergedIntoId",
            o."possibleDuplicateOfId"::text AS "possibleDuplicateOfId",
            COALESCE(json_agg(json_build_object('sku', i."sku", 'quantity', i."quantity") ORDER BY i."sku")
                     FILTER (WHERE i."id" IS NOT NULL), '[]'::json) AS items
     FROM "Order" o LEFT JOIN "OrderItem" i ON i."orderId" = o."id"
     WHERE o."createdAt" >= $1
     GROUP BY o."id" ORDER BY o."createdAt", o."id"`,
    [new Date(since.getTime() - LOOKBACK_MARGIN_MS)],
  );
  return { auditEvents: eventRows.map(auditEventOf), orders: orderRows.map(orderOf) };
}

function auditEventOf(row: Record<string, unknown>): AuditEventRow {
  return {
    id: row['id'] as string,
    at: row['at'] as Date,
    outcome: row['outcome'] as string,
    customerId: (row['customerId'] as string | null) ?? null,
    idempotencyKey: row['idempotencyKey'] as string,
    channel: (row['channel'] as string | null) ?? null,
    orderId: (row['orderId'] as string | null) ?? null,
    relatedOrderId: (row['relatedOrderId'] as string | null) ?? null,
    similarity: (row['similarity'] as number | null) ?? null,
    candidateAgeMs: (row['candidateAgeMs'] as number | null) ?? null,
    candidateEquivalent: (row['candidateEquivalent'] as boolean | null) ?? null,
    operation: (row['operation'] as string | null) ?? null,
    // The request's source within its channel, refused requests' too (no order names theirs).
    salesSource: (row['salesSource'] as string | null) ?? null,
    source: (row['source'] as string | null) ?? null,
  };
}

function orderOf(row: Record<string, unknown>): OrderRow {
  return {
    id: row['id'] as string,
    customerId: row['customerId'] as string,
    channel: row['channel'] as string,
    // The marketplace or store the order came from (channels, issue 13); null for the channel alone.
    salesSource: (row['salesSource'] as string | null) ?? null,
    status: row['status'] as string,
    currency: (row['currency'] as string).trim(),
    createdAt: row['createdAt'] as Date,
    updatedAt: row['updatedAt'] as Date,
    items: row['items'] as OrderRow['items'],
    shippingAddress: row['shippingAddress'] ?? null,
    mergedIntoId: (row['mergedIntoId'] as string | null) ?? null,
    possibleDuplicateOfId: (row['possibleDuplicateOfId'] as string | null) ?? null,
  };
}
