import { commandUsage, parseCommandLine } from '../src/cli/command-line';
import { readNamedFile } from '../src/cli/file-problem';
import { integerOption, refuseOption } from '../src/cli/option-values';

/** The parts of a V8 .cpuprofile this summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time by owner and by function, as shares of the sampled time (0–1), largest first. */
export interface ProfileSummary {
  sampledMs: number;
  byOwner: [string, number][];
  byFunction: [string, number][];
}

/** Where a file belongs: the npm package, or the project file, or a Node internal. */
function ownerOf(url: string): string {
  if (!url) return '(native: system calls, microtask queue)';
  const inModules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (inModules) return inModules[1];
  if (url.startsWith('node:')) return 'node internals';
  if (url.startsWith('wasm://')) return 'wasm (Prisma query compiler)';
  const project = url.match(/dist\/(src\/.*)$/);
  return project ? project[1] : url;
}

/** The profile in `file`, or an Error whose message is one line naming the file and what is wrong with it. */
async function readProfile(file: string): Promise<CpuProfile> {
  const text = (await readNamedFile(file, `${file}: cannot read the profile`)).toString('utf8');
  let profile: Partial<CpuProfile> | null;
  try {
    profile = JSON.parse(text) as Partial<CpuProfile> | null;
  } catch {
    throw new Error(`${file}: not a V8 CPU profile (not JSON)`);
  }
  if (!Array.isArray(profile?.nodes) || !Array.isArray(profile.samples) || !Array.isArray(profile.timeDeltas))
    throw new Error(`${file}: not a V8 CPU profile (no nodes, samples and timeDeltas)`);
  return profile as CpuProfile;
}

/** Summarises a profile written by `npm run bench -- --cpu-prof-dir`. */
export async function summariseProfile(file: string, top = 25): Promise<ProfileSummary> {
  const profile = await readProfile(file);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const total = [...selfUs.values()].reduce((sum, us) => sum + us, 0);
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    // V8's own entries get their own rows: idle time, garbage collection, and other native work.
    const owner = functionName === '(idle)' || functionName === '(garbage collector)' ? functionName : ownerOf(url);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
    const name = `${functionName || '(anonymous)'}  ${owner}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const ranked = (entries: Map<string, number>) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => [name, total === 0 ? 0 : us / total] as [string, number]);
  return { sampledMs: total / 1000, byOwner: ranked(byOwner), byFunction: ranked(byFunction) };
}

const HELP = {
  usage: 'node dist/bench/profile-summary.js [options] <file.cpuprofile> …',
  about:
    'Where the sampled time of each V8 CPU profile (`npm run bench -- --cpu-prof-dir DIR`) went: self time by owner (a package, a project file, node internals, idle) and by function, largest first.',
  options: { top: 'rows listed by owner and by function' },
};
const ARGUMENTS = { allowPositionals: true, options: { top: { type: 'string', default: '25' } } } as const;

/** `node dist/bench/profile-summary.js [--top 25] <file.cpuprofile> …`: prints each file's summary. */
async function main(): Promise<void> {
  const { values, positionals: files } = parseCommandLine(HELP, ARGUMENTS);
  if (files.length === 0) refuseOption(`No profile named.\n\n${commandUsage(HELP, ARGUMENTS)}`);
  const top = integerOption('top', values.top);
  // Every file read before anything is printed: a file it cannot read is refused, not left after the others.
  const summaries = await Promise.all(files.map((file) => summariseProfile(file, top))).catch((error: unknown) =>
    refuseOption(error instanceof Error ? error.message : String(error)),
  );
  const print = (title: string, entries: [string, number][]) => {
    console.log(`\n${title}`);
    for (const [name, share] of entries) console.log(`${(share * 100).toFixed(1).padStart(5)} %  ${name}`);
  };
  summaries.forEach((summary, index) => {
    console.log(`${index > 0 ? '\n' : ''}${files[index]}: ${summary.sampledMs.toFixed(0)} ms sampled`);
    print('self time by owner', summary.byOwner);
    print('self time by function', summary.byFunction);
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`profile-summary failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
