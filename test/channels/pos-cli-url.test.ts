import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runBuiltCli } from '../support/cli';

/**
 * `channels:pos --url` names the server, which may sit behind a reverse proxy under a path
 * (https://host/order-gate/). Found from outside: the path was dropped (`new URL('/channels/…',
 * url)` starts from the host), so the upload went to https://host/channels/pos/receipts, another
 * application's. Checked against a real HTTP server that records where each upload arrived.
 */
const REPORT = {
  type: 'report',
  lines: 1,
  receipts: 1,
  done: 1,
  created: 1,
  duplicates: 0,
  held: 0,
  rejected: 0,
  problems: [],
  notPlaced: [],
};

let server: http.Server;
let base: string;
let dir: string;
let file: string;
const arrived: string[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    arrived.push(`${request.method} ${request.url}`);
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.end(`${JSON.stringify(REPORT)}\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-pos-url-'));
  file = path.join(dir, 'day.csv');
  await writeFile(file, 'store,receipt,sku,quantity,currency\nstore-1,R-1,TEA-1,1,EUR\n');
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('npm run channels:pos --url', () => {
  it.each([
    ['the server at the root', '', '/channels/pos/receipts'],
    ['behind a proxy under a path', '/order-gate/', '/order-gate/channels/pos/receipts'],
    ['under a path without its last slash', '/order-gate', '/order-gate/channels/pos/receipts'],
    ['under a path with a query', '/order-gate/?tenant=eu', '/order-gate/channels/pos/receipts?tenant=eu'],
  ])('%s (%s): the upload goes to %s', async (_, suffix, target) => {
    arrived.length = 0;
    const run = await runBuiltCli('src/channels/pos-cli.js', [file, '--token', 'any', '--url', `${base}${suffix}`]);
    const { problems: _problems, notPlaced: _notPlaced, ...summary } = REPORT;
    expect({ code: run.code, arrived, summary: JSON.parse(run.stdout) as unknown }).toEqual({
      code: 0,
      arrived: [`POST ${target}`],
      summary,
    });
  });
});
