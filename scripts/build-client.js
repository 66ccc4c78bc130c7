// Bundles the client SDK (src/client) into one browser script for the demo page:
// dist/demo/order-gate-sdk.js, exposing the global `OrderGate`. Run by `npm run build`.
//
// Skipped, as tsc -b skips, when the bundle is newer than every file it was made from (esbuild's
// list of them is kept beside it) and than this script, and was made by the esbuild installed now
// (its version is kept beside it too: an upgrade bundles again): every tool script builds first,
// and the bundle was rewritten each time. File times decide, so an edit with an older time (`cp -p`) is
// not seen: `rm -rf dist` then, as for tsc -b.
const { readFileSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const OUTFILE = path.join(root, 'dist/demo/order-gate-sdk.js');
/** The last bundle's esbuild version and files, relative to root (its metafile inputs). */
const INPUTS = path.join(root, 'dist/demo/order-gate-sdk.inputs.json');

/** Modification time of a file, or undefined when it is not there. */
function modifiedAt(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The installed esbuild's version, read without loading esbuild (loading it is what skipping saves). */
function esbuildVersion() {
  return JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
}

function upToDate() {
  const built = modifiedAt(OUTFILE);
  if (built === undefined) return false;
  let last;
  try {
    last = JSON.parse(readFileSync(INPUTS, 'utf8'));
  } catch {
    return false;
  }
  // A list alone was written before the version was kept: bundle again.
  if (Array.isArray(last) || last?.esbuild !== esbuildVersion() || !Array.isArray(last.inputs)) return false;
  return [...last.inputs.map((input) => path.join(root, input)), __filename].every((file) => {
    const modified = modifiedAt(file);
    return modified !== undefined && modified < built;
  });
}

if (!upToDate()) {
  // Loaded only to bundle: loading it is most of this script's time when it skips.
  require('esbuild')
    .build({
      entryPoints: [path.join(root, 'src/client/index.ts')],
      outfile: OUTFILE,
      bundle: true,
      format: 'iife',
      globalName: 'OrderGate',
      // The SDK must not need Node: bundling for the browser fails on any Node built-in.
      platform: 'browser',
      target: ['es2020'],
      logLevel: 'warning',
      metafile: true,
      absWorkingDir: root,
    })
    .then((result) => {
      const last = { esbuild: esbuildVersion(), inputs: Object.keys(result.metafile.inputs) };
      writeFileSync(INPUTS, `${JSON.stringify(last)}\n`);
    })
    .catch(() => process.exit(1));
}
