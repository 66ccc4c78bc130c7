import { signDelivery } from '../support/channels';
import { withTestServer } from '../support/test-server-fixture';
import { answerToUnfinishedBody } from '../support/unfinished-body';

// A delivery that no body could make genuine (its source has no secret, or its signature headers
// are missing) is refused as soon as its headers arrive; one that may be genuine is read in full.
const SECRET = 'early-refusal-secret-for-tests';
const fixture = withTestServer('webhook-early-refusal', { MARKETPLACE_WEBHOOK_SECRETS: `acme=${SECRET}` });

const FIRST_SLICE = '{"orderId":"MKT-1","customerId":"buyer","currency":"EUR","items":[' + ' '.repeat(64 * 1024);

const answerToUnfinishedDelivery = (source: string, headers: Record<string, string>) =>
  answerToUnfinishedBody(
    new URL(`/channels/marketplace/${source}/orders`, fixture.server.url),
    { 'content-type': 'application/json', ...headers },
    FIRST_SLICE,
  );

describe('POST /channels/marketplace/{source}/orders before its body', () => {
  it('refuses (401) a source without a secret, and a delivery without its signature headers, before reading the body', async () => {
    const signed = signDelivery(SECRET, 'any body');
    expect(await answerToUnfinishedDelivery('unknown-market', signed)).toBe(401);
    expect(await answerToUnfinishedDelivery('acme', {})).toBe(401);
  });

  it('reads the body of a signed delivery of a known source: its signature covers the body', async () => {
    await expect(answerToUnfinishedDelivery('acme', signDelivery(SECRET, 'any body'))).rejects.toThrow(
      /waits for the whole body/,
    );
  });
});
