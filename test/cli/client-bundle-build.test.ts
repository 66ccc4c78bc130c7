import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../support/server';

// `npm run build` (and so every tool script, `npm run token` first) bundles the client SDK for the
// demo page. It rewrote the bundle on every build (found from outside, measuring `npm run token`):
// like tsc -b, it now skips when the bundle is newer than every file it was made from.
const run = promisify(execFile);

describe('scripts/build-client.js, in a scratch copy of the script and src/client', () => {
  let scratch: string;
  const file = (name: string) => path.join(scratch, name);
  const bundle = () => file('dist/demo/order-gate-sdk.js');
  const build = () => run(process.execPath, [file('scripts/build-client.js')], { cwd: scratch, timeout: 60_000 });

  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'order-gate-client-bundle-'));
    mkdirSync(file('scripts'));
    cpSync(path.join(PROJECT_ROOT, 'scripts/build-client.js'), file('scripts/build-client.js'));
    cpSync(path.join(PROJECT_ROOT, 'src/client'), file('src/client'), { recursive: true });
    symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), file('node_modules'), 'dir');
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes the bundle, leaves it alone when nothing changed, and makes it again when a file it bundles changes', async () => {
    await build();
    const first = statSync(bundle()).mtimeMs;
    expect(readFileSync(bundle(), 'utf8')).toContain('OrderGate');

    await build();
    expect(statSync(bundle()).mtimeMs).toBe(first);

    // A module reached only by an import, not the entry point.
    const changed = file('src/client/retry-after.ts');
    writeFileSync(changed, `${readFileSync(changed, 'utf8')}\nexport const bundleMarker = 'changed-input';\n`);
    await build();
    expect(statSync(bundle()).mtimeMs).toBeGreaterThan(first);
  });

  // An upgrade of esbuild changes no file the bundle was made from, yet may change the bundle.
  it('makes the bundle again when it was made by another esbuild, or before the version was kept', async () => {
    const inputs = file('dist/demo/order-gate-sdk.inputs.json');
    await build();
    const kept = JSON.parse(readFileSync(inputs, 'utf8')) as { esbuild: string; inputs: string[] };
    const installed = (
      JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules/esbuild/package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    expect(kept.esbuild).toBe(installed);
    expect(kept.inputs).toContain('src/client/index.ts');

    for (const last of [{ ...kept, esbuild: '0.0.1' }, kept.inputs]) {
      writeFileSync(inputs, `${JSON.stringify(last)}\n`);
      const before = statSync(bundle()).mtimeMs;
      await build();
      expect(statSync(bundle()).mtimeMs).toBeGreaterThan(before);
      expect(JSON.parse(readFileSync(inputs, 'utf8'))).toEqual(kept);
    }
  });
});
