-- DropIndex
DROP INDEX "IdempotencyAuditEvent_orderId_idx";

-- DropIndex
DROP INDEX "IdempotencyAuditEvent_relatedOrderId_idx";

-- CreateIndex
CREATE INDEX "IdempotencyAuditEvent_orderId_id_idx" ON "IdempotencyAuditEvent"("orderId", "id");

-- CreateIndex
CREATE INDEX "IdempotencyAuditEvent_relatedOrderId_id_idx" ON "IdempotencyAuditEvent"("relatedOrderId", "id");
