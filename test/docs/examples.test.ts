import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  BUILT_COMMANDS,
  bash,
  commandsOf,
  END,
  exampleWorkDir,
  outputsOf,
  runnable,
  serverForExamples,
  startEmbedded,
  startWithServers,
  stated,
  stockThroughApi,
} from '../support/doc-examples';
import { docsExample } from '../support/docs';
import { PROJECT_ROOT, SERVER_ENTRY } from '../support/server';

/**
 * The shell examples of README.md and docs/order-lifecycle.md (docs/channels.md's are
 * channel-examples.test.ts's), taken from the Markdown and run with bash against the built server
 * started as the README says (`npm start` is `npm run build && node dist/src/main.js`, checked
 * below), on a free port. Only what must differ here is substituted: the port, and `npm run
 * <script> --` by the built command that script runs after its build (checked against package.json
 * below). What the text says an example answers is read from the text too, so that the test fails
 * when an example, or what the page says it prints, changes.
 */

const workDir = exampleWorkDir();

describe('the npm scripts the examples call', () => {
  const packageScripts = async () =>
    (
      JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;

  it('npm start: builds, then runs the very entry every test that starts the server runs', async () => {
    // The README's `npm start` stands for `spawnServerProcess` here: the two name one file.
    expect((await packageScripts()).start).toBe(`npm run build && node ${SERVER_ENTRY}`);
  });

  it('run exactly the built command the tests substitute, after a build', async () => {
    const scripts = await packageScripts();
    for (const [npm, built] of Object.entries(BUILT_COMMANDS)) {
      const name = npm.replace(/^npm run (--silent )?/, '').replace(/ --$/, '');
      expect([name, scripts[name]]).toEqual([
        name,
        expect.stringMatching(new RegExp(`^npm run build[^&]*&& ${built}$`)) as string,
      ]);
    }
  });
});

describe.each([
  ['embedded', () => startEmbedded()],
  ['local servers', () => startWithServers({})],
])("README.md's first order, against `npm start` (%s mode)", (_mode, start) => {
  const serverUrl = serverForExamples(start);

  it('creates the product and the order; the last command again replays it as the text says; a new key is held', async () => {
    const url = serverUrl();
    const [replayType, detectedBy, header, headerValue, newKeyType] = await stated(
      'README.md',
      /Send the last command again: `(\w+)` with the same order id \(`detectedBy: (\w+)`, and the header `([\w-]+): (\w+)`\), and the stock is taken once\. The same cart under a \*new\* key answers `(\w+)`/,
    );
    const commands = commandsOf(runnable(await docsExample('first-order', 'README.md'), url));
    const last = commands[commands.length - 1];
    expect(last).toContain('createOrder(idempotencyKey: \\"checkout-2026-0001\\"');
    const script = [
      ...commands.map((command) => (command.startsWith('curl ') ? `${command}\n${END}` : command)),
      `${last.replace(/^curl -s /, 'curl -s -D - ')}\n${END}`,
      `${last.replace('checkout-2026-0001', 'checkout-2026-0002')}\n${END}`,
    ].join('\n');

    const [upsert, created, replay, newKey] = outputsOf(await bash(script, workDir()));

    expect(JSON.parse(upsert)).toEqual({ data: { upsertProduct: { sku: 'TEA-1', stock: 100 } } });
    const order = (JSON.parse(created) as { data: { createOrder: { __typename: string; order: { id: string } } } }).data
      .createOrder;
    expect(order).toEqual({ __typename: 'OrderCreated', order: { id: expect.any(String) as string, totalCents: 900 } });
    const [head, body] = replay.split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^${header}: ${headerValue}\\r?$`, 'im'));
    expect(JSON.parse(body)).toEqual({
      data: { createOrder: { __typename: replayType, detectedBy, originalOrder: { id: order.order.id } } },
    });
    // The held order's id and its candidate, the first order: what the README's curl selects to go on with.
    expect(JSON.parse(newKey)).toEqual({
      data: {
        createOrder: {
          __typename: newKeyType,
          heldOrderId: expect.any(String) as string,
          candidate: { id: order.order.id },
        },
      },
    });
    expect(await stockThroughApi(url, 'TEA-1')).toBe(100 - 2);
  });
});

describe("docs/order-lifecycle.md's cancellation, after the README's first order, against `npm start` with local servers", () => {
  const serverUrl = serverForExamples(() => startWithServers({}));

  it('cancels the order once: the status the text states, again replayed, under a new key refused; the stock back', async () => {
    const url = serverUrl();
    const [cancelled, replayStatus, header, value, newKeyStatus, newKeyCode] = await stated(
      'docs/order-lifecycle.md',
      /It answers `(\d{3})` with the order `CANCELLED`, its 2 units of `TEA-1` back in stock\. Send the last command again: `(\d{3})` with `([\w-]+): (\w+)`, nothing changed; the same under a new key: `(\d{3})` `(\w+)`\./,
    );
    await bash(runnable(await docsExample('first-order', 'README.md'), url), workDir());
    expect(await stockThroughApi(url, 'TEA-1')).toBe(100 - 2);
    const commands = commandsOf(runnable(await docsExample('cancel', 'docs/order-lifecycle.md'), url));
    const last = commands[commands.length - 1];
    expect(last).toContain("idempotency-key: cancel-2026-0001'");
    const script = [...commands, END, last, END, last.replace('cancel-2026-0001', 'cancel-2026-0002'), END].join('\n');

    const [first, again, newKey] = outputsOf(await bash(script, workDir()));

    expect(first).toMatch(new RegExp(`^HTTP/1\\.1 ${cancelled} `));
    const body = JSON.parse(first.split('\r\n\r\n')[1]) as { order: { status: string } };
    expect(body.order.status).toBe('CANCELLED');
    expect(again).toMatch(new RegExp(`^HTTP/1\\.1 ${replayStatus} `));
    expect(again).toMatch(new RegExp(`^${header}: ${value}\\r$`, 'im'));
    expect(newKey).toMatch(new RegExp(`^HTTP/1\\.1 ${newKeyStatus} `));
    expect(JSON.parse(newKey.split('\r\n\r\n')[1])).toMatchObject({ code: newKeyCode });
    expect(await stockThroughApi(url, 'TEA-1')).toBe(100);
  });
});
