import { answerToUnfinishedBody } from '../support/unfinished-body';
import { withTestServer } from '../support/test-server-fixture';

// An upload without an admin's token is refused before its file is read (found from outside: a
// 20 MiB upload without a token was received in full, then refused).
const fixture = withTestServer('pos-upload-auth');

const answerToUnfinishedUpload = (headers: Record<string, string>) =>
  answerToUnfinishedBody(
    new URL('/channels/pos/receipts', fixture.server.url),
    { 'content-type': 'text/csv', ...headers },
    'store,receipt,sku,quantity,currency\n' + 's1,r1,TEA-1,1,EUR\n'.repeat(1_000),
  );

describe('POST /channels/pos/receipts', () => {
  it('refuses an upload without a token (401) or with a customer token (403) before reading its file', async () => {
    expect(await answerToUnfinishedUpload({})).toBe(401);
    const customer = await fixture.server.tokenFor('pos-stranger');
    expect(await answerToUnfinishedUpload({ authorization: `Bearer ${customer}` })).toBe(403);
  });
});
