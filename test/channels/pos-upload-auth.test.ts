import http from 'node:http';
import { withTestServer } from '../support/test-server-fixture';

// An upload without an admin's token is refused before its file is read (found from outside: a
// 20 MiB upload without a token was received in full, then refused).
const fixture = withTestServer('pos-upload-auth');

/**
 * Sends the headers of a large upload and a first slice of it, never the rest, and resolves with
 * the status when the server answers; rejects when it has not answered within `timeoutMs` (it is
 * then still waiting for the body).
 */
function answerToUnfinishedUpload(headers: Record<string, string>, timeoutMs = 3_000): Promise<number> {
  const url = new URL('/channels/pos/receipts', fixture.server.url);
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'content-length': String(10 * 1024 * 1024), ...headers },
    });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms: the server waits for the whole file`));
    }, timeoutMs);
    request.on('response', (response) => {
      clearTimeout(timer);
      response.resume();
      request.destroy();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => undefined);
    request.write('store,receipt,sku,quantity,currency\n' + 's1,r1,TEA-1,1,EUR\n'.repeat(1_000));
  });
}

describe('POST /channels/pos/receipts', () => {
  it('refuses an upload without a token (401) or with a customer token (403) before reading its file', async () => {
    expect(await answerToUnfinishedUpload({})).toBe(401);
    const customer = await fixture.server.tokenFor('pos-stranger');
    expect(await answerToUnfinishedUpload({ authorization: `Bearer ${customer}` })).toBe(403);
  });
});
