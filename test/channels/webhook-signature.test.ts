import { createHmac } from 'node:crypto';
import { externalKey } from '../../src/sales-channel/door-keys';
import { signWebhook, verifyStandardWebhook, verifyWebhook } from '../../src/channels/webhook-signature';
import { loadConfig } from '../../src/config/config';
import { parseMarketplaceSecrets } from '../../src/config/marketplace-secrets';
import { idempotencyKeyProblem } from 'graphql-idempotency';

const NOW = 1_790_000_000_000;
const TOLERANCE = 300_000;
const body = Buffer.from('{"orderId":"MKT-1"}');
const timestamp = String(NOW / 1000);

describe('webhook signatures', () => {
  it('signs HMAC-SHA256 of "<timestamp>.<body>" as sha256=<hex>', () => {
    const expected = createHmac('sha256', 'a-secret-of-16-chars')
      .update(`${timestamp}.${body.toString()}`)
      .digest('hex');
    expect(signWebhook('a-secret-of-16-chars', timestamp, body)).toBe(`sha256=${expected}`);
  });

  it('accepts any of the source’s secrets and any of several signatures (rotation on both sides)', () => {
    const signature = `sha256=${'0'.repeat(64)}, ${signWebhook('the-new-secret-16ch', timestamp, body)}`;
    expect(
      verifyWebhook({ timestamp, signature, body }, ['the-old-secret-16ch', 'the-new-secret-16ch'], NOW, TOLERANCE),
    ).toEqual({ ok: true });
    expect(verifyWebhook({ timestamp, signature, body }, ['the-old-secret-16ch'], NOW, TOLERANCE)).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
    });
    expect(verifyWebhook({ timestamp, signature, body }, [], NOW, TOLERANCE)).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
    });
  });

  it('refuses a timestamp outside the tolerance either way, and malformed headers', () => {
    const at = (seconds: number) => ({
      timestamp: String(seconds),
      signature: signWebhook('s'.repeat(16), String(seconds), body),
      body,
    });
    expect(verifyWebhook(at(NOW / 1000 - 299), ['s'.repeat(16)], NOW, TOLERANCE)).toEqual({ ok: true });
    expect(verifyWebhook(at(NOW / 1000 - 301), ['s'.repeat(16)], NOW, TOLERANCE)).toMatchObject({
      code: 'STALE_TIMESTAMP',
    });
    expect(verifyWebhook(at(NOW / 1000 + 301), ['s'.repeat(16)], NOW, TOLERANCE)).toMatchObject({
      code: 'STALE_TIMESTAMP',
    });
    expect(
      verifyWebhook({ timestamp: '1e9', signature: 'sha256=00', body }, ['s'.repeat(16)], NOW, TOLERANCE),
    ).toMatchObject({ code: 'BAD_SIGNATURE' });
    expect(verifyWebhook({ timestamp, signature: undefined, body }, ['s'.repeat(16)], NOW, TOLERANCE)).toMatchObject({
      code: 'MISSING_SIGNATURE',
    });
  });

  it('refuses a Standard Webhooks timestamp that is not bare unix seconds: a replay cannot dodge a narrowed tolerance', () => {
    // The library reads the header with parseInt, so `<seconds>x` verifies with the signature of
    // `<seconds>`; read with Number it was NaN, never "too far", and a captured delivery replayed
    // with an `x` appended passed a tolerance narrowed below the library's 5 minutes (found from outside).
    const secret = `whsec_${Buffer.from('a-standard-webhooks-key').toString('base64')}`;
    const id = 'msg_replayed';
    const seconds = Math.floor(Date.now() / 1000) - 120;
    const signature = `v1,${createHmac('sha256', Buffer.from('a-standard-webhooks-key'))
      .update(`${id}.${seconds}.${body.toString()}`)
      .digest('base64')}`;
    const delivery = (timestamp: string) => ({ id, timestamp, signature, body });
    const narrowed = 60_000;
    expect(verifyStandardWebhook(delivery(String(seconds)), [secret], Date.now(), narrowed)).toMatchObject({
      code: 'STALE_TIMESTAMP',
    });
    for (const timestamp of [`${seconds}x`, `${seconds}.0`, ` ${seconds}`, `+${seconds}`])
      expect(verifyStandardWebhook(delivery(timestamp), [secret], Date.now(), narrowed)).toMatchObject({
        ok: false,
        code: 'BAD_SIGNATURE',
      });
  });
});

describe('MARKETPLACE_WEBHOOK_SECRETS', () => {
  it('reads source=secret pairs, a source named twice keeping both secrets', () => {
    const secrets = parseMarketplaceSecrets(
      'acme=first-secret-16chars, bazaar=other-secret-16chars,acme=second-secret-16ch',
    );
    expect(secrets).toEqual(
      new Map([
        ['acme', ['first-secret-16chars', 'second-secret-16ch']],
        ['bazaar', ['other-secret-16chars']],
      ]),
    );
    expect(
      loadConfig({ MARKETPLACE_WEBHOOK_SECRETS: 'constructor=a-secret-of-16-chars' }).channels.marketplaceSecrets.get(
        'constructor',
      ),
    ).toEqual(['a-secret-of-16-chars']);
    expect(loadConfig({}).channels.marketplaceSecrets.size).toBe(0);
  });

  it('stops the start naming the bad pair, never echoing a secret', () => {
    expect(() => loadConfig({ MARKETPLACE_WEBHOOK_SECRETS: 'acme=short-secret' })).toThrow(
      /MARKETPLACE_WEBHOOK_SECRETS: pair 1 \(acme\): the secret must be at least 16/,
    );
    expect(() => loadConfig({ MARKETPLACE_WEBHOOK_SECRETS: 'ACME=a-secret-of-16-chars' })).toThrow(
      /pair 1: expected source=secret/,
    );
    expect(() => loadConfig({ MARKETPLACE_WEBHOOK_SECRETS: 'acme=short-secret' })).not.toThrow(/short-secret/);
  });
});

describe('externalKey', () => {
  it('is readable when the identity fits the key format, hashed when it does not, and always a valid key', () => {
    expect(externalKey('MARKETPLACE', { source: 'acme', externalId: 'MKT-1001' })).toBe('marketplace:acme:MKT-1001');
    const odd = externalKey('POS', { source: 'store 12', externalId: 'R#1' });
    expect(odd).toMatch(/^pos\.sha256:[0-9a-f]{64}$/);
    // A ':' would make two identities one key: (a:b, c) and (a, b:c).
    expect(externalKey('POS', { source: 'a:b', externalId: 'c-receipt' })).not.toBe(
      externalKey('POS', { source: 'a', externalId: 'b:c-receipt' }),
    );
    for (const key of [odd, externalKey('POS', { source: 's', externalId: 'x'.repeat(300) })])
      expect(idempotencyKeyProblem(key)).toBeNull();
  });
});
