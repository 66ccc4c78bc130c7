// writeOrder (raw-sql's floor) reaches the result classes, whose decorators need the metadata API.
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { measureClaimBytes } from './claim-memory';
import type { ClaimBytes } from './claim-memory';
import type { EmbeddedMemoryReport } from './embedded-memory';
import { openBenchEnvironment } from './harness/bench-environment';
import { runFlashSale } from './flash-sale';
import type { FlashSaleReport } from './flash-sale';
import { measureScenario } from './measure';
import type { ScenarioResult } from './measure';
import { commandUsage, parseCommandLine } from '../src/cli/command-line';
import { BENCH_ARGUMENTS, BENCH_HELP, parseBenchOptions } from './options';
import type { BenchOptions } from './options';
import { startReport } from './report/bench-report';
import type { BenchReport } from './report/bench-report';
import { renderChartPng, renderChartSvg } from './report/chart';
import { renderMarkdown } from './report/markdown';
import type { ScenarioName } from './scenarios';
import { countStatements } from './statement-counts';
import type { StatementCounts } from './statement-counts';

const run = promisify(execFile);

/**
 * `npm run bench`: a fresh benchmark database, the built server as separate processes, and this
 * process as the load generator. Writes latest.json, latest.md and latest.png (+ .svg).
 */
export async function runBench(options: BenchOptions, log: (line: string) => void = console.log): Promise<BenchReport> {
  const finish = startReport(options);
  const environment = await openBenchEnvironment(options, options.scenarios.includes('duplicate-db'));
  const scenarios: Partial<Record<ScenarioName, ScenarioResult>> = {};
  let statementCounts: StatementCounts | undefined;
  let flashSale: FlashSaleReport | undefined;
  let claimBytes: ClaimBytes | undefined;
  try {
    for (const name of options.scenarios) {
      if (name === 'flash-sale') flashSale = await runFlashSale(environment, options.flashSale, options.poolSize, log);
      else scenarios[name] = await measureScenario(name, options, environment, log);
    }
    claimBytes = await measureClaimBytes(environment, options.redisUrl);
    log(`Redis bytes per completed key by items: ${JSON.stringify(claimBytes)}`);
    if (!options.noStatementCounts) {
      statementCounts = await countStatements(environment);
      log(`SQL statements: ${JSON.stringify(statementCounts)}`);
    }
  } finally {
    await environment.close();
  }
  const embeddedMemory =
    options.embeddedMemoryKeys > 0 ? await measureEmbeddedMemoryApart(options.embeddedMemoryKeys) : undefined;
  if (embeddedMemory) log(`embedded stores: ${JSON.stringify(embeddedMemory.steps)}`);
  const report = finish(scenarios, { statementCounts, embeddedMemory, flashSale, claimBytes });
  await writeReport(report, options);
  return report;
}

/** In a process of its own (with --expose-gc), so that the figure is the stores' and nothing else's. */
async function measureEmbeddedMemoryApart(keysPerStep: number): Promise<EmbeddedMemoryReport> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', path.join(__dirname, 'embedded-memory.js'), String(keysPerStep), '2'],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout) as EmbeddedMemoryReport;
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

/**
 * The options; `--help` and an unknown option are answered as every tool answers them
 * (src/cli/command-line.ts), a bad value (a scenario that does not exist, a count) likewise.
 */
function optionsOrExit(argv: string[]): BenchOptions {
  parseCommandLine(BENCH_HELP, { ...BENCH_ARGUMENTS, args: argv });
  try {
    return parseBenchOptions(argv);
  } catch (error) {
    console.error(
      `${error instanceof Error ? error.message : String(error)}\n\n${commandUsage(BENCH_HELP, BENCH_ARGUMENTS)}`,
    );
    process.exit(2);
  }
}

if (require.main === module) {
  const options = optionsOrExit(process.argv.slice(2));
  const startedAt = Date.now();
  runBench(options)
    .then((report) => {
      const markdown = renderMarkdown(report);
      console.log(`\n${markdown.slice(markdown.indexOf('## Ratios'))}`);
      console.log(
        `wrote ${path.relative(process.cwd(), options.outDir) || '.'}/latest.{json,md${options.noChart ? '' : ',png,svg'}} in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
      );
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
