import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { commandUsage } from '../../src/cli/command-line';
import { PROJECT_ROOT } from '../support/server';

/**
 * Every command-line tool that package.json runs (`npm run <script>` → `node dist/….js`), built
 * (npm test builds first): `--help` answers before anything runs, and a mistyped option is a
 * message with the usage, never a stack trace. Read from package.json, so a new tool is covered.
 */
const scripts = (
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

/** The server takes its settings from the environment (docs/configuration.md), not from arguments. */
const NOT_A_TOOL = new Set(['start']);

const TOOLS = Object.entries(scripts).flatMap(([name, command]) => {
  const built = /node (dist\/\S+\.js)$/.exec(command)?.[1];
  return built && !NOT_A_TOOL.has(name) ? [[name, built] as const] : [];
});

/** Tools the docs run with `node dist/….js` rather than through package.json: the same promise. */
const DIRECT_TOOLS = [
  'dist/scripts/measure-order-index.js',
  'dist/scripts/bench-matcher.js',
  'dist/bench/interleaved-builds.js',
  'dist/bench/profile-summary.js',
] as const;

// Nothing listens here: a tool that reached for its database or Redis instead of answering would fail.
const UNREACHABLE = { DATABASE_URL: 'postgresql://nobody@127.0.0.1:9/none', REDIS_URL: 'redis://127.0.0.1:9' };

async function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: PROJECT_ROOT, ...UNREACHABLE };
  return promisify(execFile)(process.execPath, [script, ...args], { cwd: PROJECT_ROOT, env, timeout: 20_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe('the command-line tools of package.json', () => {
  it('are found (the test reads them from package.json)', () => {
    expect(TOOLS.map(([name]) => name)).toEqual(
      expect.arrayContaining(['bench', 'migrate', 'token', 'dedupe', 'dedupe:evaluate', 'risk:train', 'channels:pos']),
    );
  });

  it.each(TOOLS)('npm run %s -- --help: the usage and options, exit 0, nothing run', async (name, built) => {
    const { code, stdout, stderr } = await run(built, ['--help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(new RegExp(`^Usage: npm run ${name}( |\\n)`));
    expect(stdout).toMatch(/--help/);
  });

  it.each(['orders:import', 'dedupe', 'migrate', 'risk:report'])(
    'npm run %s -- --help names the database it uses: DATABASE_URL, else the embedded one npm start serves',
    async (name) => {
      // Found from outside: orders:import said "Imports historical orders into DATABASE_URL" to a
      // newcomer on the embedded server, who has none.
      const built = TOOLS.find(([tool]) => tool === name)?.[1] ?? name;
      const { stdout } = await run(built, ['--help']);
      expect(stdout).toContain('DATABASE_URL');
      expect(stdout).toMatch(/the embedded (one|database) in EMBEDDED_DATA_DIR/);
    },
  );

  it.each(TOOLS)('npm run %s -- --no-such-option: one line and the usage, exit 2, no stack', async (_name, built) => {
    const { code, stdout, stderr } = await run(built, ['--no-such-option']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Unknown option '--no-such-option'/);
    expect(stderr).toContain('Usage: npm run ');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the command-line tools the docs run with node', () => {
  it.each(DIRECT_TOOLS)('node %s --help: the usage, exit 0, nothing run', async (built) => {
    const { code, stdout, stderr } = await run(built, ['--help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(new RegExp(`^Usage: node ${built.replace(/\./g, '\\.')} `));
  });

  it.each(DIRECT_TOOLS)('node %s --no-such-option: one line and the usage, exit 2, no stack', async (built) => {
    const { code, stderr } = await run(built, ['--no-such-option']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^Unknown option '--no-such-option'[^\n]*\n\nUsage: node /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('npm run channels:pos', () => {
  it('has the default --url that docs/channels.md names', async () => {
    const { stdout } = await run('dist/src/channels/pos-cli.js', ['--help']);
    const doc = readFileSync(path.join(PROJECT_ROOT, 'docs/channels.md'), 'utf8');
    const helped = /--url (\S+?)\]/.exec(stdout)?.[1];
    expect([helped, /--url (\S+) by default/.exec(doc)?.[1]]).toEqual(['http://127.0.0.1:4000', helped]);
  });
});

describe('commandUsage', () => {
  it('lists every option with its value and default, and --help', () => {
    const usage = commandUsage(
      { usage: 'npm run example -- [options]', about: 'Does one thing.' },
      {
        options: {
          seed: { type: 'string', default: '1' },
          write: { type: 'boolean' },
          out: { type: 'string', short: 'o' },
        },
      },
    );
    expect(usage.split('\n')).toEqual([
      'Usage: npm run example -- [options]',
      '',
      'Does one thing.',
      '',
      'Options:',
      '  --seed <value>     default 1',
      '  --write',
      '  -o, --out <value>',
      '  -h, --help         print this and exit',
    ]);
  });
});
