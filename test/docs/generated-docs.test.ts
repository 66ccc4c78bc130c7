import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, generatedFiles, withBlock } from '../../scripts/generate-docs';

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
});
