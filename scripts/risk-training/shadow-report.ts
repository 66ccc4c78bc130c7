import type { SqlQuery } from './audit-log-reader';
import { HELD_AGAIN_SOURCE } from '../../src/audit/audit-record';

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
  /** Scored attempts in shadow mode (and scored rows written before the mode was recorded). */
  attempts: number;
  /** Count by `rule→model`, e.g. `HOLD→PASS`. */
  byDecision: Record<string, number>;
  /** The same by channel. */
  byChannel: Record<string, Record<string, number>>;
  /** Holds of the rule the customer confirmed later (wrong holds), by what the model would have done. */
  confirmedHolds: Record<Action, number>;
  /** Attempts where the two agree. */
  agreements: number;
  /**
   * Attempts a configured model could not score (its features failed or came late, a feature or
   * the score not finite: `riskMode` without `riskAction`), in either mode: today's rule decided
   * them, counted by what it did.
   */
  unscored: Record<Action, number>;
  /** Attempts the model decided (RISK_MODE=decide), by what it did: no rule's decision to compare. */
  decidedByModel: Record<Action, number>;
}

const none = (): Record<Action, number> => ({ HOLD: 0, FLAG: 0, PASS: 0 });
const total = (counts: Record<Action, number>) => counts.HOLD + counts.FLAG + counts.PASS;

/**
 * Reads the attempts a model took part in since `since` and compares the rule with the model where
 * the rule decided and the model scored (shadow mode). A held key sent again is no attempt of its
 * own (`source` HELD). Rows written before `riskMode` was recorded have none: a scored one is read
 * as shadow mode's (the report's purpose then), an unscored one cannot be told from no model.
 */
export async function shadowReport(query: SqlQuery, since: Date): Promise<ShadowReport> {
  const rows = await query(
    `SELECT e."outcome", e."channel"::text AS channel, e."riskAction", e."riskMode",
            EXISTS (SELECT 1 FROM "IdempotencyAuditEvent" c
                    WHERE c."outcome" = 'possible_duplicate_confirmed' AND c."customerId" = e."customerId"
                      AND c."relatedOrderId" = e."relatedOrderId" AND c."at" >= e."at") AS confirmed
     FROM "IdempotencyAuditEvent" e
     WHERE e."at" >= $1 AND (e."riskAction" IS NOT NULL OR e."riskMode" IS NOT NULL)
       AND e."outcome" = ANY($2::text[]) AND e."source" IS DISTINCT FROM $3`,
    [since, Object.keys(RULE_ACTION), HELD_AGAIN_SOURCE],
  );
  const report: ShadowReport = {
    attempts: 0,
    byDecision: {},
    byChannel: {},
    confirmedHolds: none(),
    agreements: 0,
    unscored: none(),
    decidedByModel: none(),
  };
  for (const row of rows) {
    const rule = RULE_ACTION[row['outcome'] as string];
    const model = row['riskAction'] as Action | null;
    if (model === null) {
      report.unscored[rule] += 1;
      continue;
    }
    // The outcome is the model's own decision: there is no rule's to compare it with.
    if (row['riskMode'] === 'decide') {
      report.decidedByModel[model] += 1;
      continue;
    }
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

/** "2 held, 1 flagged, 0 passed". */
function byAction(counts: Record<Action, number>): string {
  return `${counts.HOLD} held, ${counts.FLAG} flagged, ${counts.PASS} passed`;
}

/** The report as Markdown: what `risk:report` prints. */
export function shadowReportMarkdown(report: ShadowReport, since: Date): string {
  const title = `# Shadow mode: today's rule against the model (audit log since ${since.toISOString()})`;
  const unscored = total(report.unscored);
  const decided = total(report.decidedByModel);
  if (report.attempts === 0 && unscored === 0 && decided === 0)
    return [
      title,
      '',
      `No attempt since ${since.toISOString()} was scored or decided by a model: no server ran with a model ` +
        "(RISK_MODEL_PATH unset: today's rule alone, nothing recorded to compare), or none had a candidate. " +
        'Run a server with RISK_MODEL_PATH and RISK_MODE=shadow, then report again.',
      '',
    ].join('\n');
  const lines = [title, ''];
  if (decided > 0)
    lines.push(
      `Decided by the model (RISK_MODE=decide): ${decided} attempts: ${byAction(report.decidedByModel)}. ` +
        "Today's rule did not decide them, so they are not compared with it: run with RISK_MODE=shadow to compare.",
      '',
    );
  if (unscored > 0)
    lines.push(
      "Unscored attempts (the model's features failed or came late, or it could not score; today's rule decided): " +
        `${unscored}: ${byAction(report.unscored)}.`,
      '',
    );
  if (report.attempts === 0) {
    lines.push(`No attempt in shadow mode since ${since.toISOString()}: nothing to compare.`, '');
    return lines.join('\n');
  }
  return [...lines, ...comparison(report)].join('\n');
}

/** The rule × model tables of the shadow-mode attempts. */
function comparison(report: ShadowReport): string[] {
  const actions: Action[] = ['HOLD', 'FLAG', 'PASS'];
  return [
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
}
