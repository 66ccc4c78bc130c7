import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from './server';

/** A page of the documentation (README.md or docs/…), as the repository holds it. */
export async function readDoc(file: string): Promise<string> {
  return readFile(path.join(PROJECT_ROOT, file), 'utf8');
}

/**
 * The body of the fenced block that follows `<!-- example: NAME -->` (or `<!-- example: NAME (a note) -->`) in a page: the tests run the
 * docs' copy-paste examples, so the docs cannot drift from what works.
 */
export async function docsExample(name: string, file = 'docs/channels.md'): Promise<string> {
  const page = await readDoc(file);
  const marker = `<!-- example: ${name}(?:\\s[^>]*)?-->`;
  const example = new RegExp(`${marker}\\s*\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``).exec(page)?.[1];
  if (example === undefined) throw new Error(`${file} has no example "${name}"`);
  return example;
}

/** The text between `<!-- NAME: … -->` and `<!-- end NAME -->` in a page. */
export async function docsBlock(name: string, file: string): Promise<string> {
  const page = await readDoc(file);
  const block = new RegExp(`<!-- ${name}:[^>]*-->\\n([\\s\\S]*?)<!-- end ${name} -->`).exec(page)?.[1];
  if (block === undefined) throw new Error(`${file} has no block "${name}"`);
  return block;
}

/** The rows of a Markdown table (header and separator left out), each as its trimmed cells (`\|` is a pipe inside a cell). */
export function tableRows(table: string): string[][] {
  return table
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

/** The variables of a start command written `NAME=value … npm start`, which must end in `npm start`. */
export function startVariables(command: string): Record<string, string> {
  const words = command.replace(/\\\n/g, ' ').trim().split(/\s+/);
  expect(words.slice(-2)).toEqual(['npm', 'start']);
  return Object.fromEntries(words.slice(0, -2).map((word) => word.split(/=(.*)/s).slice(0, 2) as [string, string]));
}
