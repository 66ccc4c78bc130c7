import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { authenticate } from '../../src/auth/jwt';

const viewerFromAuthorization = async (header: string, secret: string) => (await authenticate(header, secret)).viewer;
import { loadConfig } from '../../src/config/config';
import { PROJECT_ROOT } from '../support/server';

/** The built `npm run token` (npm test builds first), with exactly this environment. */
async function token(
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = path.join(PROJECT_ROOT, 'dist/scripts/dev-token.js');
  return promisify(execFile)(process.execPath, [script, ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    timeout: 20_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    ({ code, stdout, stderr }: { code: number; stdout: string; stderr: string }) => ({ code, stdout, stderr }),
  );
}

describe('npm run token', () => {
  it('signs with the server secret when only DATABASE_URL is exported (it reads no database or Redis setting)', async () => {
    const env = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres' };
    const { code, stdout, stderr } = await token(env, ['alice']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    // The server that set both URLs verifies it: the secret is the one loadConfig reads.
    const secret = loadConfig({ ...env, REDIS_URL: 'redis://127.0.0.1:6379' }).jwtSecret;
    expect(await viewerFromAuthorization(`Bearer ${stdout.trim()}`, secret)).toEqual({
      customerId: 'alice',
      role: 'customer',
    });
  });

  it('signs with JWT_SECRET when set, and refuses production without it, naming the variable', async () => {
    const secret = 'a-secret-of-the-tests-0123456789';
    const signed = await token({ JWT_SECRET: secret, REDIS_URL: 'redis://127.0.0.1:6379' }, ['ops', '--admin']);
    expect(await viewerFromAuthorization(`Bearer ${signed.stdout.trim()}`, secret)).toEqual({
      customerId: 'ops',
      role: 'admin',
    });
    const refused = await token({ NODE_ENV: 'production' }, ['ops']);
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Invalid environment:\n  JWT_SECRET: required when NODE_ENV=production\n',
    });
  });

  it('refuses an --expires that is not a time span with one line, not a stack trace', async () => {
    const { code, stdout, stderr } = await token({}, ['alice', '--expires', 'banana']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/^--expires banana: not a time span/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect((await token({}, ['alice', '--expires', '30m'])).code).toBe(0);
  });

  it('refuses an --expires of zero, which would sign a token already expired', async () => {
    for (const span of ['0s', '0 hours', '0.0m']) {
      const { code, stdout, stderr } = await token({}, ['alice', '--expires', span]);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr).toMatch(new RegExp(`^--expires ${span}: a token must live longer than zero`));
    }
    const { stdout } = await token({}, ['alice', '--expires', '0.5m']);
    await expect(viewerFromAuthorization(`Bearer ${stdout.trim()}`, loadConfig({}).jwtSecret)).resolves.toMatchObject({
      customerId: 'alice',
    });
  });

  it('refuses a customer id the server would refuse (too long, blank) rather than print a token it never accepts', async () => {
    const secret = loadConfig({}).jwtSecret;
    for (const customerId of ['c'.repeat(129), '   ']) {
      const { code, stdout, stderr } = await token({}, [customerId]);
      expect({ code, stdout, stderr }).toEqual({
        code: 2,
        stdout: '',
        stderr: `${JSON.stringify(customerId)}: not a customer id (1 to 128 characters, not blank): the server would refuse its token\n`,
      });
    }
    const longest = await token({}, ['c'.repeat(128)]);
    expect(await viewerFromAuthorization(`Bearer ${longest.stdout.trim()}`, secret)).toEqual({
      customerId: 'c'.repeat(128),
      role: 'customer',
    });
  });
});
