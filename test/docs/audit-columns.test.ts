import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readDoc } from '../support/docs';
import { PROJECT_ROOT } from '../support/server';

/** The columns of a model in prisma/schema.prisma (its field lines, not its attributes). */
function modelColumns(schema: string, model: string): string[] {
  const body = schema.slice(schema.indexOf(`model ${model} {`));
  const block = body.slice(0, body.indexOf('\n}'));
  return [...block.matchAll(/^ {2}([a-zA-Z]+)\s+\S/gm)].map((match) => match[1]).filter((name) => name !== 'model');
}

/** The column names the first cell of each row of the page's table names (`a`, `b` in one cell). */
function documentedColumns(page: string): string[] {
  return [...page.matchAll(/^\| ((?:`[a-zA-Z]+`(?:, )?)+) \|/gm)].flatMap((match) =>
    [...match[1].matchAll(/`([a-zA-Z]+)`/g)].map((name) => name[1]),
  );
}

describe('docs/audit.md', () => {
  it('describes every column of the audit table', async () => {
    const schema = await readFile(path.join(PROJECT_ROOT, 'prisma/schema.prisma'), 'utf8');
    const columns = modelColumns(schema, 'IdempotencyAuditEvent');
    expect(columns).toContain('riskAction');
    const documented = documentedColumns(await readDoc('docs/audit.md'));
    expect(columns.filter((column) => !documented.includes(column))).toEqual([]);
  });
});
