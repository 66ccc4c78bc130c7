import type { PointResult } from '../load/latency';
import type { BenchReport } from './bench-report';
import type { RatioSeries } from './ratios';

const fixed = (value: number | null | undefined, digits = 2) => (value == null ? '—' : value.toFixed(digits));

function pointRow(scenario: string, load: string, point: PointResult): string {
  const { p50, p95, p99, max } = point.latencyMs;
  const errors = point.errors ? `${point.errors}` : '0';
  const outcomes = Object.entries(point.outcomes).map(([outcome, count]) => `${outcome} ${count}`).join(', ');
  return `| ${scenario} | ${load} | ${point.throughputPerSec.toFixed(0)} | ${fixed(p50)} | ${fixed(p95)} | ${fixed(p99)} | ${fixed(max)} | ${errors} | ${outcomes} |`;
}

function ratioRow(name: string, series: RatioSeries, keys: string[]): string {
  return `| ${name} | ${keys.map((key) => fixed(series[key])).join(' | ')} |`;
}

/** latest.md: the run's settings, every point, the ratios, the targets and the statement counts. */
export function renderMarkdown(report: BenchReport): string {
  const { settings, machine } = report;
  const lines = [
    '# Order Gate benchmark',
    '',
    `Run ${report.startedAt} → ${report.finishedAt} on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}; load average at start ${machine.loadAverageAtStart.join(' / ')}, at end ${machine.loadAverageAtEnd.join(' / ')}.`,
    `Closed loop ${settings.durationMs} ms per point after a ${settings.warmupMs} ms warm-up per scenario; open loop ${settings.openLoopRate}/s for ${settings.openLoopMs} ms, latency from each request's scheduled send time.`,
    `Server: NODE_ENV=production, LOG_LEVEL=${settings.logLevel}, PostgreSQL pool ${settings.poolSize} (raw-sql uses a pool of the same size). Load generator and server share the machine's cores.`,
    '',
    '## Figures (latency in ms)',
    '',
    '| scenario | load | req/s | p50 | p95 | p99 | max | errors | answers |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const [name, result] of Object.entries(report.scenarios)) {
    for (const [connections, point] of Object.entries(result.closedLoop)) lines.push(pointRow(name, `${connections} conn`, point));
    if (result.openLoop) lines.push(pointRow(name, `open ${result.openLoop.ratePerSec}/s`, result.openLoop));
  }
  const keys = [...settings.connections.map(String), 'open'];
  const { ratios } = report;
  lines.push(
    '',
    '## Ratios',
    '',
    `| ratio | ${keys.map((key) => (key === 'open' ? 'open loop' : `${key} conn`)).join(' | ')} |`,
    `| --- | ${keys.map(() => '---:').join(' | ')} |`,
    ratioRow('duplicate / read, p50', ratios.duplicateOverRead.p50, keys),
    ratioRow('duplicate / read, p99', ratios.duplicateOverRead.p99, keys),
    ratioRow('duplicate / read, throughput', ratios.duplicateOverRead.throughput, keys),
    ratioRow('duplicate / baseline, p50', ratios.duplicateOverBaseline.p50, keys),
    ratioRow('duplicate / baseline, p99', ratios.duplicateOverBaseline.p99, keys),
    ratioRow('duplicate / baseline, throughput', ratios.duplicateOverBaseline.throughput, keys),
    ratioRow('create / raw-sql, throughput', ratios.createOverRawSqlThroughput, keys),
    ratioRow('duplicate-db / duplicate, p99', ratios.duplicateDbOverDuplicateP99, keys),
    '',
    '## Targets (reported, not asserted)',
    '',
    '| target | value | met |',
    '| --- | ---: | --- |',
    ...report.targets.map((check) => `| ${check.target} | ${fixed(check.value)} | ${check.met == null ? 'not measured' : check.met ? 'yes' : '**no**'} |`),
  );
  if (report.statementCounts) {
    const { ordersPage, perRequest } = report.statementCounts;
    lines.push(
      '',
      '## SQL statements per request (counted on the wire)',
      '',
      '| request | statements |',
      '| --- | ---: |',
      ...Object.entries(ordersPage).map(([first, count]) => `| \`orders(first: ${first}) { items { product { sku } } }\` | ${count} |`),
      ...Object.entries(perRequest).map(([scenario, count]) => `| one \`${scenario}\` request | ${count} |`),
    );
  }
  return `${lines.join('\n')}\n`;
}
