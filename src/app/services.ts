import { AuditLogWriter } from '../audit/audit-log-writer';
import { auditObserver } from '../audit/audit-observer';
import { AuditService } from '../audit/audit.service';
import { CatalogService } from '../catalog/catalog.service';
import { ChannelGate } from '../channels/channel-gate';
import { ChannelMetrics, channelTelemetry } from '../channels/channel-metrics';
import type { Config } from '../config/config';
import type { PrismaClient } from '../db/prisma';
import type { SqlRunner } from '../db/sql-runner';
import type { Transactions } from '../db/transactions';
import { IdempotencyGuard } from 'graphql-idempotency';
import type { OrderObserver } from '../idempotency/order-decision-event';
import { idempotencyTelemetry } from '../idempotency/idempotency-telemetry';
import type { OpenClaimStore } from '../idempotency/open-claim-store';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { throttledWarning } from '../observability/throttled-log';
import { OrderTokenCodec } from '../order-tokens/order-token-codec';
import { OrderTokenService } from '../order-tokens/order-token.service';
import { MemoryTokenStore } from '../order-tokens/memory-token-store';
import { RedisTokenStore } from '../order-tokens/redis-token-store';
import { prismaRunner } from '../db/sql-runner';
import { HeldOrderService } from '../orders/held/held-order.service';
import { ChangeAnswers } from '../orders/lifecycle/change-answers';
import { LifecycleGate } from '../orders/lifecycle/lifecycle-gate';
import { InventoryAdjustmentService } from '../orders/lifecycle/inventory-adjustment.service';
import { OrderLifecycleService } from '../orders/lifecycle/order-lifecycle.service';
import { OrderRefundService } from '../orders/lifecycle/order-refund.service';
import { announcesOrderChanges } from '../orders/order-changes';
import { OrderReplays } from '../orders/order-replays';
import { OrderPlacementService } from '../orders/order-placement.service';
import { OrderService } from '../orders/order.service';
import type { OrderAdmission } from '../rate-limit/order-admission';
import { MemoryRiskFeatureStore } from '../risk/memory-risk-feature-store';
import { RedisRiskFeatureStore } from '../risk/risk-feature-store';
import { cancellationCounter, riskObserver } from '../risk/risk-observer';
import { riskFeatureKeyPrefix } from '../stores/store-keys';
import { DuplicateRiskScoring } from '../risk/risk-scoring';
import type { RiskModelSource } from '../risk/risk-scoring';
import { buildIdempotencyPolicies } from './idempotency-policies';
import type { IdempotencyPolicies } from './idempotency-policies';

/** The long-lived services of one server, built once by createApp. */
export interface AppServices {
  catalog: CatalogService;
  orders: OrderService;
  orderTokens: OrderTokenService;
  placement: OrderPlacementService;
  idempotencyGuard: IdempotencyGuard;
  /** The policies of the guarded operations (registered in idempotency-policies.ts). */
  idempotencyPolicies: IdempotencyPolicies;
  metrics: Metrics;
  audit: AuditService;
  auditLog: AuditLogWriter;
  /** The per-customer limit on new orders (ORDER_RATE_LIMIT). */
  orderAdmission: OrderAdmission;
  /** The way in for the doors other than GraphQL (webhooks, POS files, the REST API). */
  channelGate: ChannelGate;
  /** Received orders and their outcomes per sales channel. */
  channelMetrics: ChannelMetrics;
  /** Duplicate-risk scoring; null without a model (RISK_MODEL_PATH unset). */
  risk: DuplicateRiskScoring | null;
  /** cancelOrder, refundOrder, changeShippingAddress (docs/order-lifecycle.md). */
  lifecycle: OrderLifecycleService;
  /** Forgets changed orders' createOrder replays in this region's claim store. */
  replays: OrderReplays;
  /** An order's refunds, read (Order.refunds, Order.refundedCents). */
  refunds: OrderRefundService;
  /** adjustInventory. */
  inventory: InventoryAdjustmentService;
  /** Held possible duplicates: releaseHeldOrder, dismissHeldOrder, the admins' list. */
  heldOrders: HeldOrderService;
  /** The lifecycle mutations through the guard, with their policies (REST, and the GraphQL container). */
  lifecycleGate: LifecycleGate;
}

/** What the services are built on: the database, the claim store (and its Redis) and the rate limit. */
export interface ServiceFoundations {
  prisma: PrismaClient;
  /** Where background statements (audit batches) go. */
  background: SqlRunner;
  /** Write transactions of the order path. */
  transactions: Transactions;
  /** Raw reads on the request path (the catalog's products, an order with its items). */
  reads: SqlRunner;
  claims: OpenClaimStore;
  orderAdmission: OrderAdmission;
  metrics: Metrics;
  /** The duplicate-risk model, loaded; absent or null: no scoring, today's rule. */
  riskModels?: RiskModelSource | null;
}

/** Builds every service of one server and decides what talks to what. */
export function buildServices(config: Config, logger: Logger, foundations: ServiceFoundations): AppServices {
  const { prisma, background, transactions, claims, orderAdmission, metrics } = foundations;
  const orders = new OrderService(prisma, foundations.reads);
  const warnTokenStore = throttledWarning(logger, 'order token store call failed: the database decides');
  const storeCalls = {
    timeoutMs: config.redisTimeoutMs,
    onFailure(operation: string, error: unknown) {
      metrics.tokenStoreFallbacks.inc({ operation });
      warnTokenStore({ err: error, operation });
    },
  };
  const orderTokens = new OrderTokenService(
    // Beside the claims: in Redis with the servers, in memory in the (single-instance) embedded mode.
    claims.redis ? new RedisTokenStore(claims.redis, config.redisKeyPrefix) : new MemoryTokenStore(),
    new OrderTokenCodec(config.orderTokenSecret ?? OrderTokenCodec.deriveSecret(config.jwtSecret)),
    { ttlMs: config.orderTokenTtlMs, leaseMs: config.idempotencyLeaseMs, retryAfterMs: config.idempotencyRetryAfterMs },
    storeCalls,
  );
  const auditLog = new AuditLogWriter(background, metrics, logger, config.audit);
  const channelMetrics = new ChannelMetrics(metrics.registry);
  const risk = openRiskScoring(config, logger, foundations);
  const observers: OrderObserver[] = [
    idempotencyTelemetry(metrics),
    auditObserver(auditLog),
    channelTelemetry(channelMetrics),
    ...(risk ? [riskObserver(risk)] : []),
  ];
  const warnClaimStore = throttledWarning(logger, 'claim store call failed: the database decides');
  const idempotencyGuard = new IdempotencyGuard(claims.store, {
    leaseMs: config.idempotencyLeaseMs,
    retentionMs: config.idempotencyRetentionMs,
    retryAfterMs: config.idempotencyRetryAfterMs,
    repeatWaitMs: config.idempotencyRepeatWaitMs,
    storeTimeoutMs: config.redisTimeoutMs,
    observers,
    onStoreFailure(operation, error) {
      metrics.claimStoreFallbacks.inc({ operation });
      warnClaimStore({ err: error, operation });
    },
    onObserverError: (error) => logger.error({ err: error }, 'idempotency observer failed'),
  });
  const idempotencyPolicies = buildIdempotencyPolicies({
    orders,
    orderTokens,
    orderAdmission,
    risk,
    changeAnswers: new ChangeAnswers(prisma),
  });
  const catalog = new CatalogService(prisma, foundations.reads, { productCacheTtlMs: config.catalogCacheTtlMs });
  const placement = new OrderPlacementService(transactions, orders, orderTokens, {
    semanticDuplicates: config.semanticDuplicates,
    risk,
    auditLog,
    catalog,
  });
  const warnReplayStore = throttledWarning(
    logger,
    'could not forget a changed order’s replay: it expires with its claim',
  );
  const replays = new OrderReplays(claims.store, config.idempotencyRetentionMs);
  const lifecycle = new OrderLifecycleService(transactions, replays, {
    storeCalls: {
      timeoutMs: config.redisTimeoutMs,
      onFailure(operation, error) {
        metrics.claimStoreFallbacks.inc({ operation });
        warnReplayStore({ err: error, operation });
      },
    },
    announceChanges: announcesOrderChanges(config.mode),
    // Cancellations of possible duplicates are the confirmed duplicates the risk counters keep.
    ...(risk
      ? {
          onCancelled: cancellationCounter(risk),
          candidateWindowMs: Math.max(config.semanticDuplicates.windowMs, config.risk.candidateLookbackMs),
        }
      : {}),
    logger,
  });
  const inventory = new InventoryAdjustmentService(transactions);
  const heldOrders = new HeldOrderService(transactions, placement, prismaRunner(prisma));
  const lifecycleGate = new LifecycleGate(idempotencyGuard, idempotencyPolicies, lifecycle, inventory, heldOrders);
  return {
    catalog,
    orders,
    orderTokens,
    placement,
    idempotencyGuard,
    idempotencyPolicies,
    metrics,
    audit: new AuditService(foundations.reads),
    auditLog,
    orderAdmission,
    channelGate: new ChannelGate(idempotencyGuard, placement, {
      keyed: idempotencyPolicies.createOrder,
      external: idempotencyPolicies.externalOrder,
    }),
    channelMetrics,
    risk,
    lifecycle,
    replays,
    refunds: new OrderRefundService(foundations.reads),
    inventory,
    heldOrders,
    lifecycleGate,
  };
}

/** Scoring with the loaded model; its counters beside the claims (Redis, or this process's memory in the embedded mode). */
function openRiskScoring(
  config: Config,
  logger: Logger,
  { claims, metrics, riskModels }: ServiceFoundations,
): DuplicateRiskScoring | null {
  if (!riskModels) return null;
  const store = claims.redis
    ? new RedisRiskFeatureStore(claims.redis, riskFeatureKeyPrefix(config.redisKeyPrefix))
    : new MemoryRiskFeatureStore();
  const { thresholds, candidateLookbackMs, featuresTimeoutMs, minHoldMs, mode } = config.risk;
  return new DuplicateRiskScoring(
    riskModels,
    store,
    { thresholds, candidateLookbackMs, featuresTimeoutMs, minHoldMs, mode },
    metrics,
    logger,
  );
}
