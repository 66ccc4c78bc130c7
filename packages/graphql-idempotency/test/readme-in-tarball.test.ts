import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The README is read where the tarball is installed (node_modules/graphql-idempotency), as on a
// registry's page: found from outside, a link to Order Gate's README (../../README.md) led nowhere
// there, and `test/packed.test.ts` named a file the tarball does not hold.
const PACKAGE_DIR = path.resolve(__dirname, '..');
const README = readFileSync(path.join(PACKAGE_DIR, 'README.md'), 'utf8');
/** What a reader sees: HTML comments (notes for the tests) are not shown. */
const SHOWN = README.replace(/<!--[\s\S]*?-->/g, '');
/** The package's `files`: what the tarball holds besides package.json. */
const SHIPPED = (JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { files: string[] }).files;

describe('packages/graphql-idempotency/README.md, read from the installed tarball', () => {
  it('links only to the web, to its own sections, or to files the tarball holds', () => {
    const relative = [...SHOWN.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)]
      .map((match) => match[1])
      .filter((target) => !/^[a-z]+:/.test(target));
    const unshipped = relative.filter((target) => {
      const resolved = path.relative(PACKAGE_DIR, path.resolve(PACKAGE_DIR, target));
      const shipped = SHIPPED.some((entry) => resolved === entry || resolved.startsWith(`${entry}/`));
      return !shipped || !existsSync(path.join(PACKAGE_DIR, resolved));
    });
    expect(unshipped).toEqual([]);
  });

  it('names no test file, which the tarball does not hold', () => {
    expect(SHOWN.match(/`test\/[^`]*`/g) ?? []).toEqual([]);
  });
});
