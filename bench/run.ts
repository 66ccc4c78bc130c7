// writeOrder (raw-sql's floor) reaches the result classes, whose decorators need the metadata API.
import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openBenchEnvironment } from './harness/bench-environment';
import { measureScenario } from './measure';
import type { ScenarioResult } from './measure';
import { parseBenchOptions } from './options';
import type { BenchOptions } from './options';
import { startReport } from './report/bench-report';
import type { BenchReport } from './report/bench-report';
import { renderChartPng, renderChartSvg } from './report/chart';
import { renderMarkdown } from './report/markdown';
import type { ScenarioName } from './scenarios';
import { countStatements } from './statement-counts';
import type { StatementCounts } from './statement-counts';

/**
 * `npm run bench`: a fresh benchmark database, the built server as separate processes, and this
 * process as the load generator. Writes latest.json, latest.md and latest.png (+ .svg).
 */
export async function runBench(options: BenchOptions, log: (line: string) => void = console.log): Promise<BenchReport> {
  const finish = startReport(options);
  const environment = await openBenchEnvironment(options, options.scenarios.includes('duplicate-db'));
  const scenarios: Partial<Record<ScenarioName, ScenarioResult>> = {};
  let statementCounts: StatementCounts | undefined;
  try {
    for (const name of options.scenarios) scenarios[name] = await measureScenario(name, options, environment, log);
    if (!options.noStatementCounts) {
      statementCounts = await countStatements(environment);
      log(`SQL statements: ${JSON.stringify(statementCounts)}`);
    }
  } finally {
    await environment.close();
  }
  const report = finish(scenarios, statementCounts);
  await writeReport(report, options);
  return report;
}

async function writeReport(report: BenchReport, options: BenchOptions): Promise<void> {
  await mkdir(options.outDir, { recursive: true });
  const markdown = renderMarkdown(report);
  await writeFile(path.join(options.outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(options.outDir, 'latest.md'), markdown);
  if (!options.noChart) {
    const svg = renderChartSvg(report);
    await writeFile(path.join(options.outDir, 'latest.svg'), svg);
    await writeFile(path.join(options.outDir, 'latest.png'), renderChartPng(svg));
  }
}

if (require.main === module) {
  const options = parseBenchOptions(process.argv.slice(2));
  const startedAt = Date.now();
  runBench(options)
    .then((report) => {
      const markdown = renderMarkdown(report);
      console.log(`\n${markdown.slice(markdown.indexOf('## Ratios'))}`);
      console.log(`wrote ${path.relative(process.cwd(), options.outDir) || '.'}/latest.{json,md${options.noChart ? '' : ',png,svg'}} in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
