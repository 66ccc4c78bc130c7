import { readFile } from 'node:fs/promises';

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

/** Summarises a profile written by `npm run bench -- --cpu-prof-dir`. */
export async function summariseProfile(file: string, top = 25): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
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

/** `node dist/bench/profile-summary.js <file.cpuprofile> [top]`: prints the summary. */
async function main(): Promise<void> {
  const [file, topText] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
  const summary = await summariseProfile(file, Number(topText ?? 25));
  const print = (title: string, entries: [string, number][]) => {
    console.log(`\n${title}`);
    for (const [name, share] of entries) console.log(`${(share * 100).toFixed(1).padStart(5)} %  ${name}`);
  };
  console.log(`${file}: ${summary.sampledMs.toFixed(0)} ms sampled`);
  print('self time by owner', summary.byOwner);
  print('self time by function', summary.byFunction);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
