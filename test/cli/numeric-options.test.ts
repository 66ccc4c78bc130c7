import os from 'node:os';
import path from 'node:path';
import { runBuiltCli, STACK_TRACE } from '../support/cli';

// Where risk:train would write a model if it ran on: never over the shipped one.
const SCRATCH_MODEL = `--out=${path.join(os.tmpdir(), 'og-numeric-options-model.json')}`;

/**
 * The numbers the operator tools take as options (soak, risk:simulate, risk:train, risk:evaluate):
 * a value they cannot read is refused in one line naming the option, exit 2, before anything runs
 * (found from outside: `Number('1h')` is NaN, and the tools ran on with it or with a default).
 * Nothing is reachable here (no database, no model is read first), so a tool that ran on would fail otherwise.
 */
// [tool, built script, options of at least 1, arguments given first: a short run, on a tuning
// seed (never the frozen evaluation's), should the tool run on].
const TOOLS = [
  ['soak', 'scripts/soak/soak.js', ['minutes', 'rate', 'fault-every'], []],
  ['risk:simulate', 'scripts/risk-simulate.js', ['days'], []],
  ['risk:train', 'scripts/risk-train.js', ['days'], [SCRATCH_MODEL]],
  // Found from outside: `--customers abc` ran the frozen seed on NaN customers (0 pairs), exit 0.
  ['dedupe:evaluate', 'scripts/evaluate-matcher.js', ['customers'], ['--seed=4', '--customers=10']],
  ['dedupe:probe', 'scripts/probe-other-locales.js', ['pairs'], ['--pairs=10', '--locales=es']],
  ['dedupe:evaluate:typed', 'scripts/evaluate-matcher-typed.js', ['orders', 'window-ms'], ['--orders=1000']],
] as const;

describe.each(TOOLS)('npm run %s', (_name, script, options, first) => {
  it.each(options.flatMap((option) => ['1h', '3,600', 'sixty', '0', '-5', '1.5'].map((value) => [option, value])))(
    '--%s %j: one line naming the option, exit 2',
    async (option, value) => {
      const run = await runBuiltCli(script, [...first, `--${option}=${value}`]);
      expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
        code: 2,
        stdout: '',
        stderr: `--${option}: not a whole number of at least 1 (digits only, no unit or separator): ${value}\n`,
      });
    },
  );
});

describe('the options of at least 0 of the matcher evaluations (seeds, examples to show)', () => {
  it.each([
    ['scripts/evaluate-matcher.js', 'seed', ['--customers=10']],
    ['scripts/evaluate-matcher.js', 'examples', ['--seed=4', '--customers=10']],
    ['scripts/evaluate-matcher.js', 'dump-failures', ['--seed=4', '--customers=10']],
    ['scripts/probe-other-locales.js', 'seed', ['--pairs=10', '--locales=es']],
    ['scripts/probe-other-locales.js', 'examples', ['--pairs=10', '--locales=es']],
    ['scripts/evaluate-matcher-typed.js', 'seed', ['--orders=1000']],
    ['scripts/evaluate-matcher-typed.js', 'examples', ['--orders=1000']],
  ])('%s --%s x7: one line naming the option, exit 2', async (script, option, first) => {
    const run = await runBuiltCli(script, [...first, `--${option}=x7`]);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `--${option}: not a whole number of at least 0 (digits only, no unit or separator): x7\n`,
    });
  });
});

describe('the data options of risk:train and risk:evaluate', () => {
  it.each([
    ['--seed=x7', '--seed: not a whole number of at least 0 (digits only, no unit or separator): x7'],
    ['--test-share=30%', '--test-share: not a number between 0 and 1: 30%'],
    ['--test-share=1', '--test-share: not a number between 0 and 1: 1'],
    ['--since=garbage', '--since: not an ISO date: garbage'],
    [
      '--database-url=notaurl',
      '--database-url: not a postgresql:// URL (postgresql://user@host:5432/database): notaurl',
    ],
  ])('risk:train %s is refused: %s', async (argument, message) => {
    const run = await runBuiltCli('scripts/risk-train.js', [argument, SCRATCH_MODEL]);
    expect([run.code, run.stderr]).toEqual([2, `${message}\n`]);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it('risk:evaluate refuses a --days it cannot read (the model file is read, nothing is simulated)', async () => {
    const run = await runBuiltCli('scripts/risk-evaluate.js', ['--days', '4w']);
    expect([run.code, run.stderr]).toEqual([
      2,
      '--days: not a whole number of at least 1 (digits only, no unit or separator): 4w\n',
    ]);
  });
});
