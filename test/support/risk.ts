import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { RedisRiskFeatureStore } from '../../src/risk/risk-feature-store';
import { riskFeatureKeyPrefix } from '../../src/stores/store-keys';
import type { TestDatabase } from './database';
import { postGraphQL } from './graphql-client';
import { PROJECT_ROOT } from './server';
import type { TestServer } from './server';

/** The model `npm run risk:train` shipped. */
export const SHIPPED_MODEL_PATH = path.join(PROJECT_ROOT, 'models/duplicate-risk.json');

/** createOrder with what duplicate-risk scoring shows. */
const CREATE_ORDER_WITH_RISK = `
  mutation CreateOrder($key: String!, $input: CreateOrderInput!) {
    createOrder(idempotencyKey: $key, input: $input) {
      __typename
      ... on OrderCreated { order { id possibleDuplicateOfId } }
      ... on DuplicateDetected { detectedBy originalOrder { id } }
      ... on PossibleDuplicate { similarity riskScore candidate { id } }
    }
  }
`;

export interface RiskResult {
  __typename: string;
  order?: { id: string; possibleDuplicateOfId: string | null };
  originalOrder?: { id: string };
  similarity?: number;
  riskScore?: number | null;
  candidate?: { id: string };
}

/** An order of `customerId` through GraphQL; fails the test on a GraphQL error. */
export async function sendOrder(
  server: TestServer,
  customerId: string,
  input: object,
  key = `key-${randomUUID()}`,
): Promise<RiskResult> {
  const response = await postGraphQL<{ createOrder: RiskResult }>(
    server.url,
    CREATE_ORDER_WITH_RISK,
    { key, input },
    { token: await server.tokenFor(customerId) },
  );
  if (response.body.errors) throw new Error(`createOrder failed: ${JSON.stringify(response.body.errors)}`);
  return response.body.data!.createOrder;
}

/** Moves an order back in time, as if it had been placed `minutes` ago (its candidates' age is what the model reads). */
export async function placedMinutesAgo(db: TestDatabase, orderId: string, minutes: number): Promise<void> {
  await db.query(`UPDATE "Order" SET "createdAt" = now() - $2 * interval '1 minute' WHERE "id" = $1::uuid`, [
    orderId,
    minutes,
  ]);
}

export interface AuditRiskRow extends Record<string, unknown> {
  outcome: string;
  orderId: string | null;
  relatedOrderId: string | null;
  riskScore: number | null;
  riskModelVersion: string | null;
}

/** The customer's audit records, oldest first, after the buffered ones are written. */
export async function auditOf(server: TestServer, db: TestDatabase, customerId: string): Promise<AuditRiskRow[]> {
  await server.app.services.auditLog.flush();
  return db.query<AuditRiskRow>(
    `SELECT "outcome", "orderId"::text, "relatedOrderId"::text, "riskScore", "riskModelVersion" FROM "IdempotencyAuditEvent"
     WHERE "customerId" = $1 ORDER BY "at", "id"`,
    [customerId],
  );
}

export interface AuditDecisionRow extends AuditRiskRow {
  similarity: number | null;
  candidateEquivalent: boolean | null;
  riskAction: string | null;
}

/** The customer's audit records with what the duplicate decision recorded (similarity, the model's action), oldest first. */
export async function auditDecisionsOf(
  server: TestServer,
  db: TestDatabase,
  customerId: string,
): Promise<AuditDecisionRow[]> {
  await server.app.services.auditLog.flush();
  return db.query<AuditDecisionRow>(
    `SELECT "outcome", "orderId"::text, "relatedOrderId"::text, "riskScore", "riskModelVersion", "similarity", "candidateEquivalent", "riskAction"
     FROM "IdempotencyAuditEvent" WHERE "customerId" = $1 ORDER BY "at", "id"`,
    [customerId],
  );
}

/** The server's own feature store (same Redis, same keys), to read counters or write the history feedback paths leave. */
export function featureStoreOf(server: TestServer): RedisRiskFeatureStore {
  return new RedisRiskFeatureStore(server.app.redis!, riskFeatureKeyPrefix(server.config.redisKeyPrefix));
}

/** The server's risk metrics: decisions by outcome and decider, and how many scores were observed. */
export async function riskMetricsOf(server: TestServer): Promise<{
  decisions: Record<string, number>;
  scores: number;
  readFailures: number;
  unscorable: Record<string, number>;
}> {
  const { metrics } = server.app.services;
  const decisions: Record<string, number> = {};
  for (const value of (await metrics.riskDecisions.get()).values) {
    const key = `${value.labels['outcome']}/${value.labels['decided_by']}`;
    decisions[key] = (decisions[key] ?? 0) + value.value;
  }
  const scores = (await metrics.riskScores.get()).values
    .filter((value) => value.metricName === 'order_gate_risk_scores_count')
    .reduce((sum, value) => sum + value.value, 0);
  const failures =
    (await metrics.riskFeatureStoreFailures.get()).values.find((value) => value.labels['operation'] === 'read')
      ?.value ?? 0;
  const unscorable: Record<string, number> = {};
  for (const value of (await metrics.riskUnscorable.get()).values)
    unscorable[String(value.labels['reason'])] = value.value;
  return { decisions, scores, readFailures: failures, unscorable };
}
