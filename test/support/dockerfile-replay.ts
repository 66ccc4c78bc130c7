import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages of instructions (comments dropped, `\` continuations joined). */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const line of logical) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [image = '', , alias] = args.split(/\s+/);
      stages.push({ name: alias ?? String(stages.length), image, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${upper} before FROM`);
    stage.instructions.push({ keyword: upper, args });
  }
  return stages;
}

/**
 * Whether the build context leaves out this file (a path from the root, with `/`), by the root's
 * .dockerignore as Docker reads it: `*` within a folder, `**` across folders, a folder's pattern
 * leaving out all it holds (no `!` exceptions: the file has none).
 */
export function dockerIgnored(root: string): (file: string) => boolean {
  const patterns = existsSync(path.join(root, '.dockerignore'))
    ? readFileSync(path.join(root, '.dockerignore'), 'utf8')
        .split('\n')
        .map((line) => line.trim().replace(/\/$/, ''))
        .filter((line) => line !== '' && !line.startsWith('#'))
    : [];
  const expressions = patterns.map((pattern) => {
    const body = pattern
      .split(/(\*\*\/|\*|\?)/)
      .map((part) => {
        if (part === '**/') return '(?:.*/)?';
        if (part === '*') return '[^/]*';
        if (part === '?') return '[^/]';
        return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    return new RegExp(`^${body}(?:/.*)?$`);
  });
  return (file) => expressions.some((expression) => expression.test(file));
}

/** The context a build sends: the repository's files, less what .dockerignore names. */
export function buildContextFiles(root: string): string[] {
  const ignored = dockerIgnored(root);
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0');
  return tracked.filter((file) => file !== '' && existsSync(path.join(root, file)) && !ignored(file));
}

export interface ReplayedImage {
  /** The final stage's working directory on disk (its WORKDIR). */
  workdir: string;
  env: Record<string, string>;
  command: string[];
}

interface StageState {
  root: string;
  workdir: string;
  env: Record<string, string>;
  command: string[];
}

/**
 * Replays a Dockerfile's COPY, RUN, WORKDIR, ENV and CMD steps into folders under `outDir`, one per
 * stage, with exactly the files each COPY names (from the build context or an earlier stage), and
 * runs each RUN with this machine's Node. No Docker engine is needed; the base image itself is not
 * reproduced, so this finds what the build context and the steps get wrong, not the image's OS.
 */
export function replayDockerfile(contextRoot: string, outDir: string, log: (line: string) => void): ReplayedImage {
  const stages = parseDockerfile(readFileSync(path.join(contextRoot, 'Dockerfile'), 'utf8'));
  const context = buildContextFiles(contextRoot);
  const done = new Map<string, StageState>();
  let last: StageState | undefined;
  for (const [index, stage] of stages.entries()) {
    const state: StageState = { root: path.join(outDir, `stage-${index}`), workdir: '/', env: {}, command: [] };
    mkdirSync(state.root, { recursive: true });
    for (const instruction of stage.instructions) {
      log(`${stage.name}: ${instruction.keyword} ${instruction.args}`);
      applyInstruction(instruction, state, { contextRoot, context, stages: done });
    }
    done.set(stage.name, state);
    last = state;
  }
  if (!last) throw new Error('Dockerfile has no stage');
  return { workdir: path.join(last.root, last.workdir), env: last.env, command: last.command };
}

function applyInstruction(
  { keyword, args }: Instruction,
  state: StageState,
  build: { contextRoot: string; context: string[]; stages: Map<string, StageState> },
): void {
  const inStage = (target: string): string =>
    path.join(state.root, path.posix.isAbsolute(target) ? target : path.posix.join(state.workdir, target));
  switch (keyword) {
    case 'WORKDIR':
      state.workdir = path.posix.resolve(state.workdir, args);
      mkdirSync(inStage('.'), { recursive: true });
      return;
    case 'ENV': {
      const [, name = '', value = ''] = /^(\S+?)[=\s]+(.*)$/.exec(args) ?? [];
      state.env[name] = value;
      return;
    }
    case 'CMD':
      state.command = JSON.parse(args) as string[];
      return;
    case 'COPY':
      return copyStep(args, inStage, build);
    case 'RUN': {
      const result = spawnSync('bash', ['-c', args], {
        cwd: inStage('.'),
        env: { ...process.env, ...state.env, npm_config_prefer_offline: 'true' },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      if (result.status !== 0) {
        throw new Error(`RUN ${args} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
      }
      return;
    }
    default:
      return; // USER, EXPOSE, LABEL, …: nothing to reproduce on disk
  }
}

function copyStep(
  args: string,
  inStage: (target: string) => string,
  build: { contextRoot: string; context: string[]; stages: Map<string, StageState> },
): void {
  const words = args.split(/\s+/);
  const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((word) => !word.startsWith('--'));
  const destination = paths.pop() ?? '.';
  const target = inStage(destination);
  const intoFolder = destination.endsWith('/') || paths.length > 1;
  for (const source of paths) {
    if (from !== undefined) {
      const stage = build.stages.get(from);
      if (!stage) throw new Error(`COPY --from=${from}: no such stage`);
      const origin = path.join(stage.root, source);
      if (!existsSync(origin)) throw new Error(`COPY --from=${from} ${source}: not in that stage`);
      cpSync(
        origin,
        intoFolder && !statSync(origin).isDirectory() ? path.join(target, path.basename(source)) : target,
        // As Docker's COPY: a relative link (npm's node_modules/graphql-idempotency → ../packages/…)
        // stays relative, pointing into this stage; cpSync would otherwise rewrite it to the earlier
        // stage's absolute path, and the server would load a second copy of graphql from there.
        { recursive: true, verbatimSymlinks: true },
      );
      continue;
    }
    const prefix = source.replace(/^\.\//, '').replace(/\/$/, '');
    const matches =
      prefix === '.' || prefix === ''
        ? build.context
        : build.context.filter((file) => file === prefix || file.startsWith(`${prefix}/`));
    if (matches.length === 0) throw new Error(`COPY ${source}: not in the build context`);
    for (const file of matches) {
      const relative = file === prefix ? path.basename(file) : path.relative(prefix === '.' ? '' : prefix, file);
      const destinationFile = file === prefix && !intoFolder ? target : path.join(target, relative);
      mkdirSync(path.dirname(destinationFile), { recursive: true });
      cpSync(path.join(build.contextRoot, file), destinationFile);
    }
  }
}
