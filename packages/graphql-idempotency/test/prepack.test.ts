import { execFile } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// `npm pack` / `npm publish` run prepack: the tarball holds whatever dist/ it leaves. The build is
// incremental (tsc -b compares file times), so prepack must not trust an earlier dist/: an edit
// with an older mtime (cp -p, tar x, rsync -t) would be taken as built. It compiles everything
// (--force) rather than deleting dist/ first: this repository's servers and tests load the
// package from dist/ meanwhile (packed.test.ts packs it while other suites run).
const run = promisify(execFile);
const PACKAGE_DIR = path.resolve(__dirname, '..');

let scratch: string;
const file = (name: string) => path.join(scratch, name);
const npmRun = (script: string) => run('npm', ['run', '--silent', script], { cwd: scratch, timeout: 240_000 });

beforeAll(() => {
  // A copy of the package with what its build reads; its dependencies from this repository's.
  scratch = mkdtempSync(path.join(tmpdir(), 'graphql-idempotency-prepack-'));
  for (const name of ['src', 'scripts', 'package.json', 'tsconfig.build.json']) {
    cpSync(path.join(PACKAGE_DIR, name), file(name), { recursive: true });
  }
  symlinkSync(path.resolve(PACKAGE_DIR, '../../node_modules'), file('node_modules'), 'dir');
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

it('prepack compiles everything again: an edit older than the last build is in its output', async () => {
  await npmRun('build');
  const built = statSync(file('dist/build.tsbuildinfo')).mtime;

  const aMinuteBefore = new Date(built.getTime() - 60_000);
  appendFileSync(file('src/error-codes.ts'), "export const PREPACK_PROBE = 'probe';\n");
  utimesSync(file('src/error-codes.ts'), aMinuteBefore, aMinuteBefore);

  await npmRun('prepack');
  expect(readFileSync(file('dist/error-codes.js'), 'utf8')).toContain("exports.PREPACK_PROBE = 'probe'");
  expect(readFileSync(file('dist/error-codes.d.mts'), 'utf8')).toContain('PREPACK_PROBE');
}, 300_000);

it('prepack leaves no output of a deleted source in dist/: its .js, .js.map, .d.ts and .d.mts are gone, the rest kept', async () => {
  writeFileSync(file('src/stale-probe.ts'), "export const STALE_PROBE = 'stale';\n");
  await npmRun('build');
  const stale = ['stale-probe.js', 'stale-probe.js.map', 'stale-probe.d.ts', 'stale-probe.d.mts'];
  expect(stale.filter((name) => existsSync(file(`dist/${name}`)))).toEqual(stale);

  rmSync(file('src/stale-probe.ts'));
  await npmRun('prepack');
  const outputs = readdirSync(file('dist'));
  expect(outputs.filter((name) => name.startsWith('stale-probe'))).toEqual([]);
  // Every source's outputs, and each entry point's ES module face, are still there.
  const sources = readdirSync(file('src')).map((name) => name.replace(/\.ts$/, ''));
  const expected = sources.flatMap((name) => [`${name}.js`, `${name}.js.map`, `${name}.d.ts`, `${name}.d.mts`]);
  const entries = ['index', 'envelop', 'apollo', 'type-graphql'].map((entry) => `${entry}.mjs`);
  expect(outputs.sort()).toEqual([...expected, ...entries, 'build.tsbuildinfo'].sort());
}, 300_000);
