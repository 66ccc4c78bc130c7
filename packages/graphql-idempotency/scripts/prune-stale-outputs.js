'use strict';
// Run by prepack after tsc: deletes from dist/ what tsc emitted for a source that no longer exists.
// tsc never deletes an output, even with --force, so a deleted src/foo.ts left dist/foo.js (and its
// map, declarations and ES twin) to be packed and importable as graphql-idempotency/dist/foo.
// Deleting dist/ first would do it too, but this repository's servers and tests load the package
// from dist/ meanwhile (packed.test.ts packs it while other suites run): only the stale files go.
const { existsSync, readdirSync, rmSync } = require('node:fs');
const path = require('node:path');

const PACKAGE_DIR = path.resolve(__dirname, '..');
const SRC = path.join(PACKAGE_DIR, 'src');
const DIST = path.join(PACKAGE_DIR, 'dist');
/** What tsc emits for `x.ts` (sourceMap, declaration; a declaration map if ever enabled), and esm-entries' twins. */
const OUTPUT_SUFFIXES = ['.js', '.js.map', '.d.ts', '.d.ts.map', '.mjs', '.d.mts'];

/** The source an output of dist/ was emitted from (`x.d.ts.map`: `x.ts`), or null when it is no output. */
function sourceOf(relativePath) {
  const suffix = OUTPUT_SUFFIXES.filter((ending) => relativePath.endsWith(ending)).sort(
    (a, b) => b.length - a.length,
  )[0];
  return suffix ? `${relativePath.slice(0, -suffix.length)}.ts` : null;
}

/** dist/'s files, as paths relative to it (tsc mirrors src/'s folders there). */
function filesOf(directory, prefix = '') {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const relativePath = path.join(prefix, entry.name);
    return entry.isDirectory() ? filesOf(path.join(directory, entry.name), relativePath) : [relativePath];
  });
}

for (const relativePath of existsSync(DIST) ? filesOf(DIST) : []) {
  const source = sourceOf(relativePath);
  if (source && !existsSync(path.join(SRC, source))) rmSync(path.join(DIST, relativePath));
}
