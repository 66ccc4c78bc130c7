-- CreateTable
CREATE TABLE "IdempotencyAuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "source" TEXT,
    "claim" TEXT NOT NULL,
    "customerId" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "fingerprint" CHAR(64),
    "channel" "SalesChannel",
    "orderId" UUID,
    "relatedOrderId" UUID,
    "requestId" TEXT,
    "latencyMs" DOUBLE PRECISION NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyAuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IdempotencyAuditEvent_customerId_at_idx" ON "IdempotencyAuditEvent"("customerId", "at");

-- CreateIndex
CREATE INDEX "IdempotencyAuditEvent_orderId_idx" ON "IdempotencyAuditEvent"("orderId");

-- CreateIndex
CREATE INDEX "IdempotencyAuditEvent_relatedOrderId_idx" ON "IdempotencyAuditEvent"("relatedOrderId");

-- Added by hand: the audit log is append-only, enforced by the database itself. A trigger (not
-- revoked privileges) because the application may connect as the table's owner or a superuser,
-- which privileges do not stop. Rules are not used: they would silently swallow the write.
CREATE FUNCTION "idempotency_audit_event_is_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'IdempotencyAuditEvent is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER "IdempotencyAuditEvent_no_update_delete"
  BEFORE UPDATE OR DELETE ON "IdempotencyAuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "idempotency_audit_event_is_append_only"();

CREATE TRIGGER "IdempotencyAuditEvent_no_truncate"
  BEFORE TRUNCATE ON "IdempotencyAuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "idempotency_audit_event_is_append_only"();
