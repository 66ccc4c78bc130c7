import { refuseOption } from '../src/cli/option-values';
import type { RiskModel } from '../src/risk/risk-model';
import { ModelFileProblem, readModelFile } from '../src/risk/risk-model-loader';

/**
 * The model file `--model` names, compiled, for risk:bench and risk:evaluate: a file that cannot be
 * read, or holds no model, is refused as any option they cannot use is (one line naming the
 * option, exit 2), before anything is simulated or measured. Read as the server reads
 * RISK_MODEL_PATH (readModelFile); only the words differ.
 */
export async function modelOption(file: string): Promise<RiskModel> {
  const read = await readModelFile(file);
  if (!(read instanceof ModelFileProblem)) return read;
  const named = `--model ${file}`;
  if (read.kind === 'unreadable') refuseOption(`${named}: cannot read the model: ${read.message}`);
  refuseOption(`${named}: not a duplicate-risk model: ${read.kind === 'not-json' ? 'not JSON' : read.message}`);
}
