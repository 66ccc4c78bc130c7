import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RiskModelFile } from '../src/risk/risk-model';
import { DATA_ARGUMENTS, loadAttempts } from './risk-data';
import type { DataArguments, LoadedAttempts } from './risk-data';
import { trainRiskModel } from './risk-training/train-model';
import type { TrainedModel } from './risk-training/train-model';

/**
 * What `npm run risk:train` does with its options, apart from the command line so that a test can
 * make the shipped model the same way (test/risk/shipped-model.test.ts).
 */

/** risk:train's options when none are given: how the shipped model is made (seed 1, 28 days, 30 % held out). */
export const SHIPPED_MODEL_DATA: DataArguments = {
  seed: DATA_ARGUMENTS.seed.default,
  days: DATA_ARGUMENTS.days.default,
  'test-share': DATA_ARGUMENTS['test-share'].default,
};

/** The attempts the options name, and the model trained on their earlier part (the rest is risk:evaluate's). */
export async function trainOnHistory(
  args: DataArguments,
): Promise<{ attempts: LoadedAttempts; trained: TrainedModel }> {
  const attempts = await loadAttempts(args);
  return { attempts, trained: await trainRiskModel(attempts.train, attempts.description) };
}

/** Writes the model file atomically (write, then rename), so a server watching it never reads half a file. */
export async function writeModelFile(out: string, file: RiskModelFile): Promise<void> {
  await mkdir(dirname(out), { recursive: true });
  const temporary = `${out}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`);
  await rename(temporary, out);
}
