import { readFileSync } from 'node:fs';
import path from 'node:path';
import { databaseFailureTable } from '../../../src/db/database-failure';
import { PROJECT_ROOT } from '../../support/server';

describe('docs/http.md', () => {
  it('lists each database failure class with its answer, as src/db/database-failure.ts gives them', () => {
    const doc = readFileSync(path.join(PROJECT_ROOT, 'docs/http.md'), 'utf8');
    const section = /<!-- database-failures:start[^>]*-->\n([\s\S]*?)\n<!-- database-failures:end -->/.exec(doc);
    expect(section?.[1]).toBe(databaseFailureTable());
  });
});
