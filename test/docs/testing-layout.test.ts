import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { readDoc } from '../support/docs';
import { PROJECT_ROOT } from '../support/server';

async function folders(under: string): Promise<string[]> {
  const entries = await readdir(path.join(PROJECT_ROOT, under), { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

/** The folders of test/ that are neither a folder of src/ nor named in the page's text. */
function unexplained(testFolders: string[], srcFolders: string[], page: string): string[] {
  const section = page.slice(page.indexOf('## How they are organised'));
  return testFolders
    .filter((folder) => !srcFolders.includes(folder))
    .filter((folder) => !section.includes(`\`test/${folder}/`))
    .sort();
}

describe('the layout docs/testing.md describes', () => {
  it('mirrors src/: every other folder of test/ is explained in "How they are organised"', async () => {
    const testFolders = (await folders('test')).filter((folder) => folder !== 'artifacts');
    expect(unexplained(testFolders, await folders('src'), await readDoc('docs/testing.md'))).toEqual([]);
  });

  it('names as untested only folders of src/ that have no folder in test/', async () => {
    const page = await readDoc('docs/testing.md');
    const sentence = page.slice(page.indexOf('have no folder of their own'), page.indexOf('Besides the mirror'));
    const named = [...sentence.matchAll(/`([a-z-]+)\/`/g)].map((match) => match[1]);
    expect(named.length).toBeGreaterThan(0);
    const testFolders = await folders('test');
    expect(named.filter((folder) => testFolders.includes(folder))).toEqual([]);
  });

  it('quotes `npm test` as package.json runs it', async () => {
    const { scripts } = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const page = (await readDoc('docs/testing.md')).replace(/\s+/g, ' ');
    expect(/`npm test` is `([^`]+)`/.exec(page)?.[1]).toBe(scripts['test']);
  });

  it('would notice a folder that mirrors nothing (the check itself can fail)', () => {
    const page = '## How they are organised\n- `test/support/`: fixtures.\n';
    expect(unexplained(['orders', 'support', 'security'], ['orders'], page)).toEqual(['security']);
  });
});
