import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { readDoc } from '../support/docs';
import { PROJECT_ROOT } from '../support/server';

/**
 * Variables the server's libraries read themselves, past src/config: docs/configuration.md must name
 * them (found from outside: APOLLO_KEY with APOLLO_GRAPH_REF, read by Apollo Server, started
 * "Apollo usage reporting", sending every operation's shape and timing to Apollo, while the page
 * said that nothing but src/config reads the environment). Read from the installed package, so an
 * Apollo Server that reads a new one fails here.
 */
function filesUnder(dir: string, extension = '.js'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file, extension) : file.endsWith(extension) ? [file] : [];
  });
}

function variablesRead(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of filesUnder(dir)) {
    const text = readFileSync(file, 'utf8');
    for (const [, name] of text.matchAll(/process\.env\.([A-Z_]+)/g)) names.add(name);
    for (const [, list] of text.matchAll(/\{([A-Z_,\s]+)\}\s*=\s*process\.env/g))
      for (const name of list.split(',').map((entry) => entry.trim())) if (name) names.add(name);
  }
  return names;
}

test('docs/configuration.md names every APOLLO_ variable Apollo Server reads, and what they do', async () => {
  const read = [...variablesRead(path.join(PROJECT_ROOT, 'node_modules/@apollo/server/dist/cjs'))].filter((name) =>
    name.startsWith('APOLLO_'),
  );
  expect(read).toEqual(expect.arrayContaining(['APOLLO_KEY', 'APOLLO_GRAPH_REF', 'APOLLO_SCHEMA_REPORTING']));
  const page = await readDoc('docs/configuration.md');
  // Named as code: `APOLLO_KEY`, or with a value, `APOLLO_SCHEMA_REPORTING=true`.
  expect(read.filter((name) => !new RegExp(`\`${name}[=\`]`).test(page))).toEqual([]);
  expect(page).toContain('Apollo usage reporting starting!');
});

/**
 * The developer tools of scripts/ (not the test harness in scripts/harness/, whose variables
 * docs/testing.md names) that read the environment themselves, each with the variables it reads:
 * `process.env['X']`, and DATABASE_URL through toolDatabaseUrl.
 */
function toolVariables(dir: string): string[] {
  return filesUnder(dir, '.ts')
    .filter((file) => !file.includes(`${path.sep}harness${path.sep}`))
    .flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const names = new Set([...text.matchAll(/process\.env\[['"]([A-Z_]+)['"]\]/g)].map(([, name]) => name));
      if (text.includes('toolDatabaseUrl(')) names.add('DATABASE_URL');
      return [...names].map((name) => `${path.relative(PROJECT_ROOT, file)} ${name}`);
    });
}

test('docs/configuration.md names every variable a developer tool of scripts/ reads, with the tool', async () => {
  const read = toolVariables(path.join(PROJECT_ROOT, 'scripts'));
  expect(read).toEqual(expect.arrayContaining(['scripts/create-migration.ts DATABASE_URL']));
  const page = (await readDoc('docs/configuration.md')).replace(/\s+/g, ' ');
  const sentence = /developer tools read.*?\.(?= [A-Z])/.exec(page)?.[0] ?? '';
  expect(read.filter((entry) => entry.split(' ').some((word) => !sentence.includes(`\`${word}\``)))).toEqual([]);
});
