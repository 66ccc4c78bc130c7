import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { IDEMPOTENCY_ERROR_CODES } from '../src';

// The README's "Error codes" table is the one place a client learns the codes: it must list every
// code the source can answer with (IDEMPOTENCY_ERROR_CODES, or a GraphQL error's `code: '…'` written
// out), and no other.
const PACKAGE_DIR = path.resolve(__dirname, '..');

function codesInSource(): Set<string> {
  const codes = new Set<string>(IDEMPOTENCY_ERROR_CODES);
  for (const name of readdirSync(path.join(PACKAGE_DIR, 'src'))) {
    const text = readFileSync(path.join(PACKAGE_DIR, 'src', name), 'utf8');
    for (const match of text.matchAll(/\bcode: '([A-Z_]+)'/g)) codes.add(match[1]);
  }
  return codes;
}

function codesInReadmeTable(): Set<string> {
  const readme = readFileSync(path.join(PACKAGE_DIR, 'README.md'), 'utf8');
  const section = /## Error codes\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  return new Set([...section.matchAll(/^\| `([A-Z_]+)`/gm)].map((match) => match[1]));
}

describe('README error codes', () => {
  it('lists every code the package answers with, in one table', () => {
    expect([...codesInReadmeTable()].sort()).toEqual([...codesInSource()].sort());
  });
});
