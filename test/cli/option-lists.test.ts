import { runBuiltCli, STACK_TRACE } from '../support/cli';

/**
 * `--locales` of the matcher's evaluation and probe: a locale they do not have is refused in one
 * line naming it and the ones they have, exit 2 (found from outside: `--locales xx` measured 0
 * pairs and printed an empty table, exit 0, as if the matcher had been measured).
 */
describe('--locales names only locales the tool has', () => {
  it.each([
    ['scripts/evaluate-matcher.js', ['--seed=4', '--customers=10', '--locales=en,xx'], 'xx', /en, de, fr, .*he/],
    ['scripts/probe-other-locales.js', ['--pairs=10', '--locales=es,zz'], 'zz', /es, it, pt_BR, .*ka_GE/],
  ])('%s %j: one line, exit 2', async (script, args, unknown, known) => {
    const run = await runBuiltCli(script, args);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toMatch(new RegExp(`^--locales: no locale ${unknown} here \\(one or more of `));
    expect(run.stderr).toMatch(known);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});
