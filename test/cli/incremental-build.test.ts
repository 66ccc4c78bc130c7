import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { PROJECT_ROOT } from '../support/server';

// `npm run token` (and every tool script) runs `npm run build` first. Its compile step must skip
// when nothing changed (a newcomer waited ~36 s per token) and must never leave a stale dist/.
const run = promisify(execFile);
const TSC = path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc');
const BUILD_CONFIG = path.join(PROJECT_ROOT, 'tsconfig.build.json');
/** The workspace package the app imports as graphql-idempotency. */
const PACKAGE = 'packages/graphql-idempotency';

/** The arguments of `tsc` in package.json's build script, e.g. ['-b', 'tsconfig.build.json']. */
function buildCompileArguments(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const step = scripts['build'].split('&&').map((command) => command.trim());
  const compile = step.find((command) => command.startsWith('tsc '));
  if (!compile) throw new Error(`no tsc step in the build script: ${scripts['build']}`);
  return compile.split(/\s+/).slice(1);
}

describe("the build's compile step", () => {
  it('has every repository file it compiles among its roots, so that a change to any of them is seen', () => {
    // tsc -b decides "up to date" from the config's root files only: a file reached by an import
    // alone (a .json, a test fixture a script imports) could change and its dist/ copy stay stale.
    const parsed = ts.getParsedCommandLineOfConfigFile(
      BUILD_CONFIG,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    )!;
    const roots = new Set(parsed.fileNames.map((name) => path.resolve(name)));
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
    const compiledButNotRoots = program
      .getSourceFiles()
      // Declaration files emit nothing (the package's dist/*.d.ts: the package builds itself).
      .filter((file) => !file.isDeclarationFile)
      .map((file) => path.resolve(file.fileName))
      .filter(
        (name) => name.startsWith(PROJECT_ROOT + path.sep) && !name.includes(`${path.sep}node_modules${path.sep}`),
      )
      .filter((name) => !roots.has(name))
      .map((name) => path.relative(PROJECT_ROOT, name));
    expect(compiledButNotRoots).toEqual([]);
  });

  describe('in a scratch project with the repository tsconfig files', () => {
    let scratch: string;
    const file = (name: string) => path.join(scratch, name);
    const compile = () =>
      run(process.execPath, [TSC, ...buildCompileArguments(), '--verbose'], { cwd: scratch, timeout: 120_000 });
    const runTool = async () => (await run(process.execPath, [file('dist/scripts/tool.js')], { cwd: scratch })).stdout;
    const edit = (name: string, text: string) => writeFileSync(file(name), text);

    beforeAll(() => {
      scratch = mkdtempSync(path.join(tmpdir(), 'order-gate-incremental-build-'));
      const folders = ['src', 'scripts', 'test/fixtures', 'node_modules', `${PACKAGE}/dist`];
      for (const folder of folders) mkdirSync(file(folder), { recursive: true });
      for (const config of ['tsconfig.json', 'tsconfig.build.json']) {
        writeFileSync(file(config), readFileSync(path.join(PROJECT_ROOT, config)));
      }
      // The workspace's layout: node_modules/graphql-idempotency links to the package, whose own
      // build (not this one) writes its dist/; the app compiles against its declarations there.
      symlinkSync(path.join(PROJECT_ROOT, 'node_modules/@types'), file('node_modules/@types'), 'dir');
      symlinkSync(`../${PACKAGE}`, file('node_modules/graphql-idempotency'), 'dir');
      writeFileSync(file(`${PACKAGE}/package.json`), '{ "name": "graphql-idempotency", "main": "dist/index.js" }\n');
      writeFileSync(file(`${PACKAGE}/dist/index.js`), "exports.guardName = 'guard';\n");
      edit(`${PACKAGE}/dist/index.d.ts`, 'export declare const guardName: string;\n');
      edit(`${PACKAGE}/dist/index.d.mts`, "export * from './index.js';\n");
      writeFileSync(
        file('src/guard.ts'),
        "import { guardName } from 'graphql-idempotency';\nexport const loudGuardName = guardName.toUpperCase();\n",
      );
      writeFileSync(file('src/limits.json'), '{ "limit": 1 }\n');
      writeFileSync(file('src/app.ts'), "import limits from './limits.json';\nexport const limit = limits.limit;\n");
      writeFileSync(file('test/fixtures/people.ts'), "export const person = 'first';\n");
      writeFileSync(
        file('scripts/tool.ts'),
        "import { limit } from '../src/app';\nimport { person } from '../test/fixtures/people';\n" +
          'console.log(limit, person);\n',
      );
    });

    afterAll(() => {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    });

    it('skips when nothing changed, and compiles again a changed script, fixture or .json', async () => {
      await compile();
      expect(await runTool()).toBe('1 first\n');

      const unchanged = await compile();
      expect(unchanged.stdout).toMatch(/Project 'tsconfig\.build\.json' is up to date/);
      expect(unchanged.stdout).not.toMatch(/Building project/);

      edit('test/fixtures/people.ts', "export const person = 'second';\n");
      await compile();
      expect(await runTool()).toBe('1 second\n');

      edit('src/limits.json', '{ "limit": 2 }\n');
      await compile();
      expect(await runTool()).toBe('2 second\n');
    }, 120_000);

    it("checks the app again when the package's declarations change, not when its ES twins are rewritten", async () => {
      await compile();
      // esm-entries.js writes the .d.mts twins on every package build: no reason to compile the app.
      edit(`${PACKAGE}/dist/index.d.mts`, "export * from './index.js';\n");
      const twinsRewritten = await compile();
      expect(twinsRewritten.stdout).toMatch(/Project 'tsconfig\.build\.json' is up to date/);

      // A declaration the app misuses now: `tsc -p` says so, and so must the build.
      edit(`${PACKAGE}/dist/index.d.ts`, 'export declare const guardName: number;\n');
      const failed = await compile().then(
        () => 'compiled without an error',
        (error: { stdout: string }) => error.stdout,
      );
      expect(failed).toMatch(
        /src\/guard\.ts\(\d+,\d+\): error TS2339: Property 'toUpperCase' does not exist on type 'number'/,
      );

      edit(`${PACKAGE}/dist/index.d.ts`, 'export declare const guardName: string;\n');
      await compile();
      expect(await runTool()).toBe('2 second\n');
    }, 120_000);

    it('builds everything again once dist/ is deleted (its build state lives in dist/)', async () => {
      await compile();
      rmSync(file('dist'), { recursive: true, force: true });
      const rebuilt = await compile();
      expect(rebuilt.stdout).toMatch(/Building project/);
      expect(await runTool()).toBe('2 second\n');
    }, 120_000);
  });
});
