import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseCommandLine } from '../src/cli/command-line';
import { parseBenchOptions } from './options';
import { summariseProfile } from './profile-summary';
import type { ProfileSummary } from './profile-summary';
import { runBench } from './run';
import type { ScenarioName } from './scenarios';

/** The paths profiled one at a time, and the server that takes each one's load. */
const PATHS: readonly { scenario: ScenarioName; server: 'main' | 'no-redis' }[] = [
  { scenario: 'read', server: 'main' },
  { scenario: 'duplicate', server: 'main' },
  { scenario: 'duplicate-db', server: 'no-redis' },
  { scenario: 'create', server: 'main' },
];

/** Owners listed per path. */
const TOP = 8;
/** Functions listed per path. */
const TOP_FUNCTIONS = 6;

/**
 * `npm run bench:profile`: each path alone (closed loop at 8 and 32 connections, 3 s each), its
 * server under `--cpu-prof`, then where that server's CPU time went, by package or project file.
 * Writes bench/results/profile.md.
 */
async function main(): Promise<void> {
  parseCommandLine(
    {
      usage: 'npm run bench:profile',
      about:
        "Each path (read, duplicate, duplicate-db, create) alone under a CPU profile, then where its server's time went: writes bench/results/profile.md.",
    },
    {},
  );
  const root = await mkdtemp(path.join(os.tmpdir(), 'og-profile-'));
  const sections: string[] = [];
  for (const { scenario, server } of PATHS) {
    const dir = path.join(root, scenario);
    const options = parseBenchOptions([
      '--scenarios',
      scenario,
      '--connections',
      '8,32',
      '--open-loop-rates',
      '0',
      '--no-chart',
      '--no-statement-counts',
      '--embedded-memory-keys',
      '0',
      '--out',
      dir,
      '--cpu-prof-dir',
      dir,
    ]);
    const report = await runBench(options, () => undefined);
    const profileDir = path.join(dir, server);
    const [file] = (await readdir(profileDir)).filter((name) => name.endsWith('.cpuprofile'));
    const summary = await summariseProfile(path.join(profileDir, file), TOP);
    const point = report.scenarios[scenario]!.closedLoop['32'];
    sections.push(section(scenario, summary, point.throughputPerSec));
    console.log(`${scenario}: ${point.throughputPerSec.toFixed(0)} req/s at 32 connections, profiled`);
  }
  const header = [
    '# Where the time goes, per path',
    '',
    `Made by \`npm run bench:profile\` on ${new Date().toISOString()}, load average ${os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' / ')} at the end.`,
    "Each path ran alone (closed loop, 8 then 32 connections, 3 s each) against a server under `--cpu-prof`; shares are of that server's sampled time, idle included.",
    '',
  ];
  const out = path.join(__dirname, '../../bench/results/profile.md');
  await writeFile(out, `${[...header, ...sections].join('\n')}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

function section(scenario: string, summary: ProfileSummary, throughput: number): string {
  return [
    `## ${scenario} (${throughput.toFixed(0)} req/s at 32 connections)`,
    '',
    '| owner | share |',
    '| --- | ---: |',
    ...summary.byOwner.map(([owner, share]) => `| ${owner} | ${(share * 100).toFixed(1)} % |`),
    '',
    'Hottest functions:',
    '',
    '| function | share |',
    '| --- | ---: |',
    ...summary.byFunction
      .slice(0, TOP_FUNCTIONS)
      .map(([name, share]) => `| \`${name.replace(/\|/g, '\\|')}\` | ${(share * 100).toFixed(1)} % |`),
    '',
  ].join('\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
