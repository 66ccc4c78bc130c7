import { readFileSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/observability/logger';
import { ModelFileProblem, readModel, readModelFile, RiskModelLoader } from '../../src/risk/risk-model-loader';
import type { RiskModelFile } from '../../src/risk/risk-model';
import { waitUntil } from '../support/wait';

const shipped: RiskModelFile = JSON.parse(
  readFileSync(path.join(__dirname, '../../models/duplicate-risk.json'), 'utf8'),
);
const logger = createLogger('silent');

/** A valid model file that differs from the shipped one in version and bias. */
function variant(version: string, bias: number): RiskModelFile {
  return { ...shipped, modelVersion: version, bias };
}

describe('duplicate-risk model loader', () => {
  let directory: string;
  let modelPath: string;
  const loaders: RiskModelLoader[] = [];

  /** Replaces the file as a deploy would: write beside it, then rename over it. */
  const install = async (content: unknown) => {
    const temporary = `${modelPath}.tmp`;
    await writeFile(temporary, typeof content === 'string' ? content : JSON.stringify(content));
    await rename(temporary, modelPath);
  };
  const loaderFor = (watchIntervalMs: number) => {
    const loader = new RiskModelLoader({ path: modelPath, watchIntervalMs }, logger);
    loaders.push(loader);
    return loader;
  };

  beforeEach(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'og-risk-loader-'));
    modelPath = path.join(directory, 'duplicate-risk.json');
  });

  afterEach(async () => {
    loaders.splice(0).forEach((loader) => loader.stop());
    await rm(directory, { recursive: true, force: true });
  });

  it('loads the file at start and scores with it', async () => {
    await install(variant('v1', -1));
    const loader = loaderFor(0);
    expect(loader.current()).toBeNull();
    await loader.start();
    expect(loader.current()?.version).toBe('v1');
  });

  it('refuses to start on a missing or broken file, naming it', async () => {
    // Said in words, not Node's "ENOENT: no such file or directory, open …" (found from outside).
    await expect(loaderFor(0).start()).rejects.toThrow(`duplicate-risk model ${modelPath}: no such file`);
    await expect(loaderFor(0).start()).rejects.not.toThrow(/ENOENT/);
    await install('{ not json');
    await expect(loaderFor(0).start()).rejects.toThrow(/duplicate-risk model .*JSON/);
  });

  it('swaps in a new file on reload (an admin call or a signal), without a restart', async () => {
    await install(variant('v1', -1));
    const loader = loaderFor(0);
    await loader.start();
    await install(variant('v2', -2));
    expect(await loader.reload()).toEqual({ status: 'loaded', version: 'v2', previousVersion: 'v1' });
    expect(loader.current()?.file.bias).toBe(-2);
    expect(await loader.reload()).toEqual({ status: 'unchanged', version: 'v2' });
  });

  it('keeps the model in use when the new file is broken or incompatible', async () => {
    await install(variant('v1', -1));
    const loader = loaderFor(0);
    await loader.start();
    await install({ ...variant('v2', -2), featureNames: ['something_else'] });
    expect(await loader.reload()).toMatchObject({
      status: 'rejected',
      keptVersion: 'v1',
      error: expect.stringMatching(/featureNames/),
    });
    await install('{"half": ');
    expect(await loader.reload()).toMatchObject({ status: 'rejected', keptVersion: 'v1' });
    expect(loader.current()?.version).toBe('v1');
  });

  it('notices a replaced file by itself when watching', async () => {
    await install(variant('v1', -1));
    const loader = loaderFor(50);
    await loader.start();
    await install(variant('v3', -3));
    await waitUntil('the watcher to load v3', async () => loader.current()?.version === 'v3', 5_000);
    expect(loader.current()?.file.bias).toBe(-3);
  });

  it('reads a file once for both callers: the server gets the words, the tools the kind of problem too', async () => {
    const cases: [string | null, ModelFileProblem['kind'], RegExp][] = [
      [null, 'unreadable', /^no such file$/],
      ['{ not json', 'not-json', /JSON/],
      ['{}', 'not-a-model', /^format is undefined, expected order-gate\/duplicate-risk-model$/],
    ];
    for (const [content, kind, message] of cases) {
      if (content === null) await rm(modelPath, { force: true });
      else await install(content);
      const read = await readModelFile(modelPath);
      expect(read).toBeInstanceOf(ModelFileProblem);
      expect(read).toMatchObject({ kind, message: expect.stringMatching(message) as unknown });
      expect(await readModel(modelPath)).toBe((read as ModelFileProblem).message);
    }
    await install(variant('v1', -1));
    expect(await readModelFile(modelPath)).toMatchObject({ version: 'v1' });
  });

  it('shares one read between concurrent reloads', async () => {
    await install(variant('v1', -1));
    const loader = loaderFor(0);
    await loader.start();
    await install(variant('v2', -2));
    const results = await Promise.all([loader.reload(), loader.reload(), loader.reload()]);
    expect(results.map((result) => result.status)).toEqual(['loaded', 'loaded', 'loaded']);
    expect(await loader.reload()).toEqual({ status: 'unchanged', version: 'v2' });
  });
});
