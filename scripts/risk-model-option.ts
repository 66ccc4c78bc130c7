import { readNamedFile } from '../src/cli/file-problem';
import { refuseOption } from '../src/cli/option-values';
import { compileRiskModel } from '../src/risk/risk-model';
import type { RiskModel } from '../src/risk/risk-model';

/**
 * The model file `--model` names, compiled, for risk:bench and risk:evaluate: a file that cannot be
 * read, or holds no model, is refused as any option they cannot use is (one line naming the
 * option, exit 2), before anything is simulated or measured.
 */
export async function modelOption(file: string): Promise<RiskModel> {
  const named = `--model ${file}`;
  const bytes = await readNamedFile(file, `${named}: cannot read the model`).catch((error: unknown) =>
    refuseOption(error instanceof Error ? error.message : String(error)),
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    refuseOption(`${named}: not a duplicate-risk model: not JSON`);
  }
  const model = compileRiskModel(parsed);
  if (typeof model === 'string') refuseOption(`${named}: not a duplicate-risk model: ${model}`);
  return model;
}
