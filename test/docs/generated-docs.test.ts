import { readFile } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import path from 'node:path';
import { ROOT, generatedFiles, withBlock } from '../../scripts/generate-docs';
import { runBuiltCli } from '../support/cli';

describe('generated documentation (npm run docs:generate)', () => {
  it('is fresh: the configuration table, the channel answers, and the benchmark figures of the last bench/results/latest.md', async () => {
    const stale: string[] = [];
    for (const [file, expected] of Object.entries(await generatedFiles())) {
      if ((await readFile(path.join(ROOT, file), 'utf8')) !== expected) stale.push(file);
    }
    expect(stale).toEqual([]);
  });

  it('would notice a stale block (the check itself can fail)', () => {
    const page = 'intro\n<!-- generated: t (npm run docs:generate) -->\nold\n<!-- end generated: t -->\nrest\n';
    expect(withBlock(page, 't', 'new')).toBe(
      'intro\n<!-- generated: t (npm run docs:generate) -->\nnew\n<!-- end generated: t -->\nrest\n',
    );
    expect(() => withBlock('no markers', 't', 'x')).toThrow('no generated block');
  });

  it('names in its --help the bench results file it reads (built: npm run build first)', async () => {
    // The module object the generator's require returns (`import * as` would be a copy of it).
    const reads = jest.spyOn(jest.requireActual<typeof FsPromises>('node:fs/promises'), 'readFile');
    let read: string[];
    try {
      await generatedFiles();
      read = reads.mock.calls
        .flatMap(([file]) => (typeof file === 'string' ? [path.relative(ROOT, file)] : []))
        .filter((file) => file.startsWith('bench/results/'));
    } finally {
      reads.mockRestore();
    }
    expect(read).toEqual(['bench/results/latest.md']);
    const { stdout } = await runBuiltCli('scripts/generate-docs.js', ['--help']);
    expect(stdout.match(/bench\/results\/[\w.-]*\w/g)).toEqual(read);
  });
});
