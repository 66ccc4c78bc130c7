import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  bash,
  commandsOf,
  END,
  exampleWorkDir,
  outputsOf,
  runnable,
  serverForExamples,
  startWithServers,
  stated,
} from '../support/doc-examples';
import { docsExample, startVariables } from '../support/docs';

/**
 * The shell examples of docs/channels.md (a signed webhook, a Standard Webhooks delivery, a POS
 * day by the CLI and by curl, the partner REST API), taken from the Markdown and run with bash
 * against `npm start` with local servers, as examples.test.ts runs the README's; what the page says
 * each answers is read from the page too.
 */

const workDir = exampleWorkDir();

describe('the examples of docs/channels.md, against `npm start` with local servers', () => {
  const secretOf = async (name: string) => /^SECRET=(\S+)/m.exec(await docsExample(name))?.[1] ?? '';
  const serverUrl = serverForExamples(async () => {
    // The server runs with the variables of the page's start command, whose secrets the examples sign with.
    const variables = startVariables(await docsExample('channels-server'));
    expect(variables['MARKETPLACE_WEBHOOK_SECRETS']).toBe(
      `acme=${await secretOf('webhook')},bazaar=${await secretOf('standard-webhook')}`,
    );
    const running = await startWithServers(variables);
    // The README's first order, as the page says these examples assume (the product TEA-1).
    await bash(runnable(await docsExample('first-order', 'README.md'), running.server.url), workDir());
    return running;
  });

  it('webhook: signed with openssl, created; sent again with the same TS and SIG, the answer the text states', async () => {
    const url = serverUrl();
    const [again] = await stated(
      'docs/channels.md',
      /Send it again \(same `TS` and `SIG`, within 5 minutes\): `"status":"(\w+)"` with the same `orderId`/,
    );
    const commands = commandsOf(runnable(await docsExample('webhook'), url));
    const script = [...commands, END, commands[commands.length - 1], END].join('\n');
    const [first, second] = outputsOf(await bash(script, workDir())).map(
      (text) => JSON.parse(text) as Record<string, unknown>,
    );
    expect(first).toEqual({ status: 'created', orderId: expect.any(String) as string, possibleDuplicateOfId: null });
    expect(second).toMatchObject({ status: again, orderId: first['orderId'] });
  });

  it('standard-webhook: signed with openssl per Standard Webhooks; the same ID re-signed answers as the text states', async () => {
    const url = serverUrl();
    const [firstStatus, againStatus, detectedBy] = await stated(
      'docs/channels.md',
      /It answers `\{"status":"(\w+)","orderId":…\}`; the same `ID` again, with a fresh `TS` and `SIG`, answers `"status":"(\w+)"` with the same `orderId` and `"detectedBy":"(\w+)"`/,
    );
    const commands = commandsOf(runnable(await docsExample('standard-webhook'), url));
    // The same delivery again, signed anew: every command but the one that draws the ID.
    const resign = commands.filter((command) => !command.startsWith('ID='));
    const script = [...commands, END, 'sleep 1', ...resign, END].join('\n');
    const [first, second] = outputsOf(await bash(script, workDir())).map(
      (text) => JSON.parse(text) as Record<string, unknown>,
    );
    expect(first).toMatchObject({ status: firstStatus, orderId: expect.any(String) as string });
    expect(second).toEqual({ status: againStatus, orderId: first['orderId'], detectedBy });
  });

  it('pos: the sample file by the CLI (every receipt in, exit 0), then by curl: every receipt a duplicate', async () => {
    const url = serverUrl();
    await writeFile(path.join(workDir(), 'day.csv'), await docsExample('pos-csv'));
    const commands = commandsOf(runnable(await docsExample('pos'), url));
    const script = commands
      .map((command) => (command.startsWith('ADMIN=') ? command : `${command}\n${END}`))
      .join('\n');
    const [cli, upload] = outputsOf(await bash(script, workDir()));
    expect(JSON.parse(cli)).toMatchObject({ receipts: 2, created: 2, duplicates: 0, rejected: 0 });
    const lines = upload
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[lines.length - 1]).toMatchObject({ type: 'report', created: 0, duplicates: 2, problems: [] });
  });

  it('rest: the status of a creation, then the same command again: the status and header the table states', async () => {
    const url = serverUrl();
    const [createdStatus] = await stated('docs/channels.md', /\| \*\*(\d{3})\*\* \| created by this request;/);
    const [replayStatus, header, value] = await stated(
      'docs/channels.md',
      /\| \*\*(\d{3})\*\* \+ `([\w-]+): (\w+)` \| a repeat of a completed request/,
    );
    const commands = commandsOf(runnable(await docsExample('rest'), url));
    const script = [...commands, END, commands[commands.length - 1], END].join('\n');
    const [first, second] = outputsOf(await bash(script, workDir()));
    expect(first).toMatch(new RegExp(`^HTTP/1\\.1 ${createdStatus} `));
    expect(second).toMatch(new RegExp(`^HTTP/1\\.1 ${replayStatus} `));
    expect(second).toMatch(new RegExp(`^${header}: ${value}\\r$`, 'im'));
  });
});
