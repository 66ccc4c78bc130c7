import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one server. A registry per server keeps tests and instances apart. */
export class Metrics {
  readonly registry = new Registry();

  readonly idempotencyDecisions = new Counter({
    name: 'order_gate_idempotency_decisions_total',
    help: 'Idempotency decisions, by decision, the layer that recognised a repeat, and how the claim store took part.',
    labelNames: ['decision', 'source', 'claim'] as const,
    registers: [this.registry],
  });

  readonly claimStoreFallbacks = new Counter({
    name: 'order_gate_claim_store_fallbacks_total',
    help: 'Times the claim store (Redis) was unreachable, failed or too slow and the database path took over.',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly orderChangeNotices = new Counter({
    name: 'order_gate_order_change_notices_total',
    help: "Orders changed anywhere (any region) this instance heard of from the database, by what forgetting the order's createOrder replay in this region's Redis did: forgotten (a claim was rewritten), absent (this region never learnt the key: nothing written), failed (Redis or the database could not be reached: the replay expires with its claim).",
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly orderChangeListens = new Counter({
    name: 'order_gate_order_change_listens_total',
    help: 'Times the LISTEN connection for order changes was made (1 at start, one more per reconnection; changes made while it was down are read by the catch-up on the new connection).',
    registers: [this.registry],
  });

  readonly orderChangeListening = new Gauge({
    name: 'order_gate_order_change_listening',
    help: 'Whether the LISTEN connection for order changes is up and answered its last heartbeat (1) or not (0: changes made elsewhere are not heard meanwhile; the next connection catches up on them).',
    registers: [this.registry],
  });

  /** What order_gate_order_change_heard_age_seconds reads at each scrape: the listener's catch-up sets it (servers mode). */
  heardAgeSeconds: (() => number) | null = null;

  readonly orderChangeHeardAge = new Gauge({
    name: 'order_gate_order_change_heard_age_seconds',
    help: "Seconds since the moment (the database's clock) up to which this instance last moved its region's heard watermark: every change committed before it was forgotten in this region's Redis. It falls at each heartbeat heard (every 30 s) and grows while the watermark is held: a write transaction of the app's role still open (it caps the watermark at its start), a catch-up or forget failing, the LISTEN connection down. The region's age is the lowest of its instances'. 0 without a listener (embedded mode).",
    registers: [this.registry],
    collect: () => {
      if (this.heardAgeSeconds) this.orderChangeHeardAge.set(this.heardAgeSeconds());
    },
  });

  readonly orderChangeCatchUpReads = new Counter({
    name: 'order_gate_order_change_catch_up_reads_total',
    help: "Statements that read the order changes this region's listeners may not have heard (since its watermark), each up to 500 notices: one or more per catch-up, run each time a LISTEN connection is made and the region has a watermark.",
    registers: [this.registry],
  });

  readonly orderChangeCatchUpOrders = new Counter({
    name: 'order_gate_order_change_catch_up_orders_total',
    help: "Changed orders a catch-up read again (changed while every listener of this region may have been down), by what forgetting the order's createOrder replay in this region's Redis did: forgotten, absent, failed (as order_gate_order_change_notices_total).",
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly tokenStoreFallbacks = new Counter({
    name: 'order_gate_token_store_fallbacks_total',
    help: 'Times the order token store (Redis) was unreachable, failed or too slow and the database decided alone.',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly redisRefusals = new Counter({
    name: 'order_gate_redis_refusals_total',
    help: "Connection attempts Redis refused for this server's settings (a configuration error to fix, not an outage), by reason: wrong-password, password-required, unknown-database, missing-permission, protected-mode, cluster-node, not-a-cluster, certificate-untrusted, certificate-name, certificate-expired.",
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly redisConnectionErrors = new Counter({
    name: 'order_gate_redis_connection_errors_total',
    help: "Errors of this server's Redis connections other than refusals of the settings, by cause: Node's code for an unreachable Redis (ECONNREFUSED, ETIMEDOUT, ECONNRESET, ...), not-connected (ioredis's, for a command sent meanwhile), other. Each connection counts each failed reconnect; the log says it once a second.",
    labelNames: ['cause'] as const,
    registers: [this.registry],
  });

  readonly duplicateDetectionSeconds = new Histogram({
    name: 'order_gate_duplicate_detection_seconds',
    help: 'Time to answer a repeated request, by the layer that recognised it.',
    labelNames: ['source'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly orderCreationSeconds = new Histogram({
    name: 'order_gate_order_creation_seconds',
    help: "Time to create a new order, from the guard's start to commit.",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly httpRequestSeconds = new Histogram({
    name: 'order_gate_http_request_seconds',
    help: 'HTTP request duration by route and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly databaseFailures = new Counter({
    name: 'order_gate_database_failures_total',
    help: 'Order transactions that failed on the database, by failure class (docs/http.md), SQLSTATE (empty when the server sent none), and outcome: retried in a fresh transaction, or raised to the answer (503).',
    labelNames: ['class', 'sqlstate', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly auditRecordsWritten = new Counter({
    name: 'order_gate_audit_records_written_total',
    help: 'Audit log records written to PostgreSQL.',
    registers: [this.registry],
  });

  readonly auditRecordsDropped = new Counter({
    name: 'order_gate_audit_records_dropped_total',
    help: 'Audit log records lost because the buffer was full (database away too long) or shutdown could not write them.',
    registers: [this.registry],
  });

  readonly auditRecordsRejected = new Counter({
    name: 'order_gate_audit_records_rejected_total',
    help: 'Audit log records PostgreSQL refused to store (a value it cannot hold), left out so the records after them are written.',
    registers: [this.registry],
  });

  readonly auditWriteFailures = new Counter({
    name: 'order_gate_audit_write_failures_total',
    help: 'Failed audit batch writes (the records stay buffered and are retried).',
    registers: [this.registry],
  });

  readonly auditRecordsBuffered = new Gauge({
    name: 'order_gate_audit_records_buffered',
    help: 'Audit log records waiting in memory to be written.',
    registers: [this.registry],
  });

  readonly rateLimitedOrders = new Counter({
    name: 'order_gate_rate_limited_orders_total',
    help: 'New orders turned away by the per-customer rate limit (RATE_LIMITED).',
    registers: [this.registry],
  });

  readonly rateLimiterFailures = new Counter({
    name: 'order_gate_rate_limiter_failures_total',
    help: 'Times the rate limiter (Redis) failed and the order was admitted unchecked (fail open).',
    registers: [this.registry],
  });

  readonly riskScores = new Histogram({
    name: 'order_gate_risk_scores',
    help: 'Duplicate-risk scores (0 to 1) of new-key orders that had a candidate, by sales channel (only while a model decides).',
    labelNames: ['channel'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.99],
    registers: [this.registry],
  });

  readonly riskDecisions = new Counter({
    name: 'order_gate_risk_decisions_total',
    help: "Decisions on new-key orders that had a candidate while a risk model is configured: outcome hold, flag or pass, by channel, decided by the model or by the static rule (no features in time). A confirmation of a hold is the client's decision, not counted.",
    labelNames: ['outcome', 'channel', 'decided_by'] as const,
    registers: [this.registry],
  });

  readonly riskUnscorable = new Counter({
    name: 'order_gate_risk_unscorable_total',
    help: "Scores a risk model could not give, so today's rule decided: `missing-feature` (a counter missing or not finite), `non-finite-score`.",
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly riskShadowDecisions = new Counter({
    name: 'order_gate_risk_shadow_decisions_total',
    help: "In shadow mode (RISK_MODE=shadow), decisions on new-key orders that had a candidate: what today's rule did (`rule`) beside what the model would have done (`model`: hold, flag, pass, or unscored), by channel.",
    labelNames: ['channel', 'rule', 'model'] as const,
    registers: [this.registry],
  });

  readonly riskFeatureStoreFailures = new Counter({
    name: 'order_gate_risk_feature_store_failures_total',
    help: "Risk feature store calls (Redis) that failed or missed their budget: `read`, an order's counters (its customer's, or its source's refresh) not in time, so today's rule decides if it has a candidate; `update`, a customer's count lost, or a source's counts not written (kept and tried again each second, every try counted).",
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  constructor(options: { collectProcessMetrics?: boolean } = {}) {
    if (options.collectProcessMetrics) collectDefaultMetrics({ register: this.registry });
    // Expose the fallback series at 0 from the start: "no fallbacks yet" reads differently from "no data".
    for (const operation of ['claim', 'complete', 'release', 'remember'])
      this.claimStoreFallbacks.labels({ operation }).inc(0);
  }
}
