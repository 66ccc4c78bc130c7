import type { AuditLogWriter } from '../audit/audit-log-writer';
import type { AuditService } from '../audit/audit.service';
import type { CatalogService } from '../catalog/catalog.service';
import type { IdempotencyGuard } from '../idempotency/idempotency-guard';
import type { Metrics } from '../observability/metrics';
import type { OrderTokenService } from '../order-tokens/order-token.service';
import type { OrderPlacementService } from '../orders/order-placement.service';
import type { OrderService } from '../orders/order.service';
import type { OrderAdmission } from '../rate-limit/order-admission';

/** The long-lived services of one server, built once by createApp. */
export interface AppServices {
  catalog: CatalogService;
  orders: OrderService;
  orderTokens: OrderTokenService;
  placement: OrderPlacementService;
  idempotencyGuard: IdempotencyGuard;
  metrics: Metrics;
  audit: AuditService;
  auditLog: AuditLogWriter;
  /** The per-customer limit on new orders (ORDER_RATE_LIMIT). */
  orderAdmission: OrderAdmission;
}
