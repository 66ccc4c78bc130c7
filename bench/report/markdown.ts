import type { FlashSaleSide } from '../flash-sale';
import type { PointResult } from '../load/latency';
import type { BenchReport } from './bench-report';
import { openKey } from './ratios';
import type { RatioSeries } from './ratios';

const fixed = (value: number | null | undefined, digits = 2) => (value == null ? '—' : value.toFixed(digits));

function pointRow(
  scenario: string,
  load: string,
  point: PointResult,
  extra: { rss?: number | null; fallbacks?: number },
): string {
  const { p50, p95, p99, max } = point.latencyMs;
  const outcomes = Object.entries(point.outcomes)
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(', ');
  const cells = [
    scenario,
    load,
    point.throughputPerSec.toFixed(0),
    fixed(p50),
    fixed(p95),
    fixed(p99),
    fixed(max),
    String(point.errors),
    fixed(extra.rss, 0),
    extra.fallbacks ?? '—',
    outcomes,
  ];
  return `| ${cells.join(' | ')} |`;
}

function ratioRow(name: string, series: RatioSeries, keys: string[]): string {
  return `| ${name} | ${keys.map((key) => fixed(series[key])).join(' | ')} |`;
}

/** The flash sale's section (with its blank line after), or nothing when it did not run. */
function flashSaleLines({ flashSale }: BenchReport): string[] {
  if (!flashSale) return [];
  const { settings, server, rawFloor } = flashSale;
  const row = (name: string, side: FlashSaleSide) => {
    const { latencyMs, requests, outcomes } = side.requests;
    const answers = Object.entries(outcomes)
      .map(([outcome, count]) => `${outcome} ${count}`)
      .join(', ');
    const soldOut = side.soldOutMs === null ? '—' : (side.soldOutMs / 1000).toFixed(2);
    const { checks } = side;
    return `| ${name} | ${soldOut} | ${fixed(side.ordersPerSec, 0)} | ${fixed(latencyMs.p50)} | ${fixed(latencyMs.p99)} | ${requests} | ${checks.orders} | ${checks.stockLeft} | ${checks.oversold} | ${checks.intentsWithTwoOrders} | ${checks.intentsMisanswered} | ${answers} |`;
  };
  return [
    '## Flash sale',
    '',
    `One SKU with ${settings.stock} units; ${settings.customers.toLocaleString('en')} customers with one intent each, ${settings.connections} served at once; ${settings.bots.toLocaleString('en')} of them bots sending each request ${settings.copiesPerBot}× at once and again on a 2 s timeout; every client resends after RequestInProgress. The raw floor runs the same intents once each through the minimal transaction (insert order, lock and decrement stock, insert item, total, commit) on a SKU of its own with the same stock, on a pool as large as the server's. Latency per request; checks read from the database afterwards.`,
    '',
    '| side | sold out (s) | orders/s | p50 | p99 | requests | orders | stock left | oversold | intents with 2 orders | intents misanswered | answers |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    row('server', server),
    row('raw floor', rawFloor),
    '',
    `Server orders/s over the raw floor's: ${fixed(flashSale.ordersPerSecOverRawFloor)}.`,
    '',
  ];
}

/** latest.md: the run's settings, every point, the ratios, the targets, statement counts and memory. */
export function renderMarkdown(report: BenchReport): string {
  const { settings, machine } = report;
  const lines = [
    '# Order Gate benchmark',
    '',
    `Run ${report.startedAt} → ${report.finishedAt} on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}; load average at start ${machine.loadAverageAtStart.join(' / ')}, at end ${machine.loadAverageAtEnd.join(' / ')}.`,
    `Closed loop ${settings.durationMs} ms per point after a ${settings.warmupMs} ms warm-up per scenario; open loop at ${settings.openLoopRates.map((rate) => `${rate}/s`).join(' and ')} for ${settings.openLoopMs} ms each, latency from each request's scheduled send time.`,
    `Server: NODE_ENV=production, LOG_LEVEL=${settings.logLevel}, PostgreSQL pool ${settings.poolSize} (raw-sql uses a pool of the same size). Load generator and server share the machine's cores.`,
    'Reproduce: `npm run bench` (its options: `npm run bench -- --help`).',
    '',
    '## Figures (latency in ms)',
    '',
    "RSS: the server process's peak resident memory during the point (MiB). Fallbacks: claims that went down the database path during an open-loop run (`order_gate_claim_store_fallbacks_total` delta).",
    '',
    '| scenario | load | req/s | p50 | p95 | p99 | max | errors | RSS | fallbacks | answers |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const [name, result] of Object.entries(report.scenarios)) {
    for (const [connections, point] of Object.entries(result.closedLoop))
      lines.push(pointRow(name, `${connections} conn`, point, { rss: point.serverRssMb }));
    for (const run of Object.values(result.openLoop))
      lines.push(pointRow(name, `open ${run.ratePerSec}/s`, run, { fallbacks: run.claimStoreFallbacks }));
  }
  const keys = [...settings.connections.map(String), ...settings.openLoopRates.map(openKey)];
  const { ratios } = report;
  lines.push(
    '',
    '## Ratios',
    '',
    `| ratio | ${keys.map((key) => (key.startsWith('open') ? key : `${key} conn`)).join(' | ')} |`,
    `| --- | ${keys.map(() => '---:').join(' | ')} |`,
    ratioRow('duplicate / read, p50', ratios.duplicateOverRead.p50, keys),
    ratioRow('duplicate / read, p99', ratios.duplicateOverRead.p99, keys),
    ratioRow('duplicate / read, throughput', ratios.duplicateOverRead.throughput, keys),
    ratioRow('duplicate / baseline, p50', ratios.duplicateOverBaseline.p50, keys),
    ratioRow('duplicate / baseline, p99', ratios.duplicateOverBaseline.p99, keys),
    ratioRow('duplicate / baseline, throughput', ratios.duplicateOverBaseline.throughput, keys),
    ratioRow('create / raw-sql, throughput', ratios.createOverRawSqlThroughput, keys),
    ratioRow('create-hot / raw-hot (one SKU), throughput', ratios.createHotOverRawHotThroughput, keys),
    ratioRow('duplicate-db (Redis down) / read, p50', ratios.duplicateDbOverRead.p50, keys),
    ratioRow('duplicate-db (Redis down) / read, p99', ratios.duplicateDbOverRead.p99, keys),
    '',
    ...flashSaleLines(report),
    '## Targets (reported, not asserted)',
    '',
    '| target | value | met |',
    '| --- | ---: | --- |',
    ...report.targets.map(
      (check) =>
        `| ${check.target} | ${fixed(check.value)} | ${check.met == null ? 'not measured' : check.met ? 'yes' : '**no**'} |`,
    ),
  );
  if (report.claimBytes) {
    const sizes = Object.keys(report.claimBytes);
    const retentionDays = 1;
    lines.push(
      '',
      '## Redis memory per completed key',
      '',
      `\`MEMORY USAGE\` of one completed key (its name, the compact claim with the order's replay, Redis's overhead) for an order with an address, a UUID as key. At 1 M orders a day kept for the default retention (IDEMPOTENCY_RETENTION_MS, ${retentionDays} day), a 3-item key makes ≈ ${fixed(((report.claimBytes['3'] ?? 0) * 1_000_000 * retentionDays) / 2 ** 20, 0)} MiB.`,
      '',
      `| items | ${sizes.join(' | ')} |`,
      `| --- | ${sizes.map(() => '---:').join(' | ')} |`,
      `| bytes | ${sizes.map((size) => report.claimBytes![size]).join(' | ')} |`,
    );
  }
  if (report.statementCounts) {
    const { ordersPage, perRequest } = report.statementCounts;
    lines.push(
      '',
      '## SQL statements per request (counted on the wire)',
      '',
      'Each request is sent twice and the second one counted (steady state: the products of order items come from the catalog cache once read).',
      '',
      '| request | statements |',
      '| --- | ---: |',
      ...Object.entries(ordersPage).map(
        ([first, count]) => `| \`orders(first: ${first}) { items { product { sku } } }\` | ${count} |`,
      ),
      ...Object.entries(perRequest).map(([scenario, count]) => `| one \`${scenario}\` request | ${count} |`),
    );
  }
  if (report.embeddedMemory) {
    const { maxEntries, baselineRssMb, steps } = report.embeddedMemory;
    lines.push(
      '',
      '## Embedded mode: in-process stores after many completed keys',
      '',
      `Each completed key keeps its replay (an order of two items); as many order tokens are issued. Each store keeps at most ${maxEntries.toLocaleString('en')} entries (least recently used first out). Resident memory of a process doing only this, ${baselineRssMb} MiB before the first key.`,
      '',
      '| completed keys | claim entries | token entries | RSS (MiB) | heap used (MiB) |',
      '| ---: | ---: | ---: | ---: | ---: |',
      ...steps.map(
        (step) =>
          `| ${step.completedKeys.toLocaleString('en')} | ${step.claimEntries.toLocaleString('en')} | ${step.tokenEntries.toLocaleString('en')} | ${step.rssMb} | ${step.heapUsedMb} |`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
