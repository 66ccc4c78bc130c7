import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runServer } from '../support/server-start';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-data-dir-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/**
 * A data folder that cannot be used ends the start at once: one line naming EMBEDDED_DATA_DIR,
 * its path and why, exit 1. Found from outside: `EMBEDDED_DATA_DIR=/proc/nope npm start` hung for
 * ever (Node 20's recursive mkdir loops when /proc answers ENOENT for a folder whose parent
 * exists); a folder whose lock file could not be written printed a stack. Each run gets 45 s, about
 * sixty times what a refusal takes on a quiet machine (a full suite's load beside two builds once
 * took one past 15 s): one still running then hung, and is killed (code null).
 */
describe('names EMBEDDED_DATA_DIR, its path and why, when the folder cannot be used', () => {
  const refusal = (dataDir: string, why: string) =>
    `Cannot start: EMBEDDED_DATA_DIR ${dataDir} cannot be the database's folder: ${why}\n`;
  const start = (dataDir: string, user: { uid?: number; gid?: number } = {}) =>
    runServer({ EMBEDDED_DATA_DIR: dataDir, PORT: '0' }, 45_000, user);

  it.each([
    ['a folder /proc cannot hold', '/proc/og-no-such-folder', '/proc/og-no-such-folder'],
    ['nested in a folder /proc cannot hold', '/proc/og-no-such-folder/db', '/proc/og-no-such-folder'],
  ])('%s: refused at once, not a hang', async (_, dataDir, created) => {
    const run = await start(dataDir);
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 1,
      stderr: refusal(dataDir, `cannot create ${created}: its filesystem takes no new folders`),
    });
  });

  it('a file', async () => {
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    const run = await start(file);
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 1,
      stderr: refusal(file, 'it is a file, not a folder'),
    });
  });

  it('a link to nothing', async () => {
    const link = path.join(dir, 'a-dangling-link');
    await symlink(path.join(dir, 'gone'), link);
    const run = await start(link);
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 1,
      stderr: refusal(link, `cannot create ${link}: it is a link to nothing or not a folder`),
    });
  });

  it('a folder inside a file', async () => {
    const file = path.join(dir, 'a-file-too');
    await writeFile(file, 'not a folder');
    const dataDir = path.join(file, 'db');
    const run = await start(dataDir);
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 1,
      stderr: refusal(dataDir, `${file} is a file, not a folder`),
    });
  });

  /**
   * Permissions: root may write anywhere, so as root the server runs as nobody (65534), who may
   * not write in the test's folders; as anyone else it runs as itself in folders made read-only.
   */
  describe('without the permission', () => {
    const asRoot = process.getuid?.() === 0;
    const user = asRoot ? { uid: 65_534, gid: 65_534 } : {};
    let closed: string;
    beforeAll(async () => {
      // mkdtemp makes 0700 folders, which nobody cannot even enter.
      await chmod(dir, 0o755);
      closed = path.join(dir, 'closed');
      await mkdir(path.join(closed, 'existing'), { recursive: true });
      await mkdir(path.join(dir, 'open', 'closed-folder'), { recursive: true });
      await chmod(path.join(dir, 'open'), asRoot ? 0o777 : 0o755);
      await chmod(path.join(dir, 'open', 'closed-folder'), 0o555);
      await chmod(path.join(closed, 'existing'), asRoot ? 0o777 : 0o755);
      await chmod(closed, 0o555);
    });
    afterAll(async () => {
      await chmod(closed, 0o755);
      await chmod(path.join(dir, 'open', 'closed-folder'), 0o755);
    });

    it('to create it', async () => {
      const dataDir = path.join(closed, 'db');
      const run = await start(dataDir, user);
      expect({ code: run.code, stderr: run.stderr }).toEqual({
        code: 1,
        stderr: refusal(dataDir, `cannot create ${dataDir}: permission denied`),
      });
    });

    it('to write in it', async () => {
      const dataDir = path.join(dir, 'open', 'closed-folder');
      const run = await start(dataDir, user);
      expect({ code: run.code, stderr: run.stderr }).toEqual({
        code: 1,
        stderr: refusal(dataDir, 'cannot write in it: permission denied'),
      });
    });

    it('to write its lock file beside it', async () => {
      const dataDir = path.join(closed, 'existing');
      const run = await start(dataDir, user);
      expect({ code: run.code, stderr: run.stderr }).toEqual({
        code: 1,
        stderr: refusal(dataDir, `cannot create its lock file ${dataDir}.lock: permission denied`),
      });
    });
  });
});
