import type { SqlQuery } from './audit-log-reader';

/**
 * What the model would have done beside what today's rule did, from the live audit log of a
 * server in shadow mode (RISK_MODE=shadow): every new-key attempt that had a candidate and was
 * scored carries the model's action (`riskAction`) next to the rule's outcome. A hold the customer
 * later confirmed (placed anyway) was a wrong hold: the report shows what the model would have
 * done with those too.
 */

type Action = 'HOLD' | 'FLAG' | 'PASS';

/** The rule's action by audit outcome. */
const RULE_ACTION: Record<string, Action> = {
  possible_duplicate_held: 'HOLD',
  possible_duplicate_flagged: 'FLAG',
  created: 'PASS',
};

export interface ShadowReport {
  /** Scored attempts. */
  attempts: number;
  /** Count by `rule→model`, e.g. `HOLD→PASS`. */
  byDecision: Record<string, number>;
  /** The same by channel. */
  byChannel: Record<string, Record<string, number>>;
  /** Holds of the rule the customer confirmed later (wrong holds), by what the model would have done. */
  confirmedHolds: Record<Action, number>;
  /** Attempts where the two agree. */
  agreements: number;
}

/** Reads the scored attempts since `since` and compares the rule with the model. */
export async function shadowReport(query: SqlQuery, since: Date): Promise<ShadowReport> {
  const rows = await query(
    `SELECT e."outcome", e."channel"::text AS channel, e."riskAction",
            EXISTS (SELECT 1 FROM "IdempotencyAuditEvent" c
                    WHERE c."outcome" = 'possible_duplicate_confirmed' AND c."customerId" = e."customerId"
                      AND c."relatedOrderId" = e."relatedOrderId" AND c."at" >= e."at") AS confirmed
     FROM "IdempotencyAuditEvent" e
     WHERE e."at" >= $1 AND e."riskAction" IS NOT NULL AND e."outcome" = ANY($2::text[])`,
    [since, Object.keys(RULE_ACTION)],
  );
  const report: ShadowReport = {
    attempts: 0,
    byDecision: {},
    byChannel: {},
    confirmedHolds: { HOLD: 0, FLAG: 0, PASS: 0 },
    agreements: 0,
  };
  for (const row of rows) {
    const rule = RULE_ACTION[row['outcome'] as string];
    const model = row['riskAction'] as Action;
    const key = `${rule}→${model}`;
    const channel = (row['channel'] as string | null) ?? 'UNKNOWN';
    report.attempts += 1;
    report.byDecision[key] = (report.byDecision[key] ?? 0) + 1;
    const perChannel = (report.byChannel[channel] ??= {});
    perChannel[key] = (perChannel[key] ?? 0) + 1;
    if (rule === model) report.agreements += 1;
    if (rule === 'HOLD' && row['confirmed'] === true) report.confirmedHolds[model] += 1;
  }
  return report;
}

/** The report as Markdown: what `risk:report` prints. */
export function shadowReportMarkdown(report: ShadowReport, since: Date): string {
  const actions: Action[] = ['HOLD', 'FLAG', 'PASS'];
  const lines = [
    `# Shadow mode: today's rule against the model (audit log since ${since.toISOString()})`,
    '',
    `Scored attempts with a candidate: ${report.attempts}; the two agree on ${report.agreements}.`,
    '',
    "| today's rule \\ model | HOLD | FLAG | PASS |",
    '| --- | --- | --- | --- |',
    ...actions.map(
      (rule) => `| ${rule} | ${actions.map((model) => report.byDecision[`${rule}→${model}`] ?? 0).join(' | ')} |`,
    ),
    '',
    `Holds the customer confirmed later (the hold was wrong): ${actions
      .map(
        (model) =>
          `${report.confirmedHolds[model]} the model would have ${model === 'PASS' ? 'passed' : model === 'FLAG' ? 'flagged' : 'held'}`,
      )
      .join(', ')}.`,
    '',
    '| channel | ' + actions.flatMap((rule) => actions.map((model) => `${rule}→${model}`)).join(' | ') + ' |',
    '| --- |' + ' --- |'.repeat(9),
    ...Object.entries(report.byChannel)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(
        ([channel, counts]) =>
          `| ${channel} | ${actions.flatMap((rule) => actions.map((model) => counts[`${rule}→${model}`] ?? 0)).join(' | ')} |`,
      ),
    '',
  ];
  return lines.join('\n');
}
