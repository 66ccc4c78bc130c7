import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { ChangeAnswers } from '../../../src/orders/lifecycle/change-answers';
import { RefundOrderIdempotency } from '../../../src/orders/lifecycle/refund-order.idempotency';
import type { RequestContext } from '../../../src/request/request-context';
import { PROJECT_ROOT } from '../../support/server';

/**
 * A refund's fingerprint is the same on every instance whatever its locale: its lines were sorted
 * with localeCompare, which follows LANG (under da_DK `AA-1` sorts after `Z-1`), so a retry that
 * reached an instance with another LANG was a changed payload (IdempotencyKeyReused). Pure logic,
 * on the built policy (npm test builds first), in processes with two locales.
 */
const FINGERPRINT = `
require('reflect-metadata');
const { RefundOrderIdempotency } = require(${JSON.stringify(path.join(PROJECT_ROOT, 'dist/src/orders/lifecycle/refund-order.idempotency.js'))});
const policy = new RefundOrderIdempotency({});
const context = { requireViewer: () => ({ customerId: 'admin-1', role: 'admin' }) };
const args = {
  orderId: '6f1c1f4e-4c1b-4a7e-9b0a-0d3c2f1e5a77',
  idempotencyKey: 'refund-key-1',
  lines: [{ sku: 'Z-1', quantity: 1 }, { sku: 'AA-1', quantity: 2 }, { sku: 'A_1', quantity: 1 }],
};
process.stdout.write(policy.prepare(args, context, 'refund-key-1').fingerprint);
`;

function fingerprintUnder(lang: string): string {
  return execFileSync(process.execPath, ['-e', FINGERPRINT], {
    cwd: PROJECT_ROOT, // where `-e` resolves reflect-metadata from
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: lang, LC_ALL: lang },
    encoding: 'utf8',
  });
}

it("a refund's lines give one fingerprint under every LANG", () => {
  // The fault this guards against is real here: the two locales order these SKUs differently.
  const order = (lang: string) =>
    execFileSync(
      process.execPath,
      ['-e', "process.stdout.write(['Z-1','AA-1'].sort((a,b)=>a.localeCompare(b)).join())"],
      {
        env: { LANG: lang, LC_ALL: lang },
        encoding: 'utf8',
      },
    );
  expect([order('en_US.UTF-8'), order('da_DK.UTF-8')]).toEqual(['AA-1,Z-1', 'Z-1,AA-1']);

  const fingerprints = ['en_US.UTF-8', 'da_DK.UTF-8', 'C'].map(fingerprintUnder);
  expect(fingerprints[0]).toMatch(/^[0-9a-f]{64}$/);
  expect(new Set(fingerprints).size).toBe(1);
});

it("a refund's lines give the fingerprint they had when requests kept them sorted, in any order sent (keys made then still repeat)", () => {
  const policy = new RefundOrderIdempotency({} as ChangeAnswers);
  const context = { requireViewer: () => ({ customerId: 'admin-1', role: 'admin' }) } as unknown as RequestContext;
  const fingerprint = (lines: { sku: string; quantity: number }[]) => {
    const prepared = policy.prepare(
      { orderId: '6f1c1f4e-4c1b-4a7e-9b0a-0d3c2f1e5a77', lines },
      context,
      'refund-key-1',
    );
    return 'fingerprint' in prepared ? prepared.fingerprint : prepared.reject;
  };
  // Computed by the policy before lines kept the caller's order (commit 3f7e829).
  const before = '52a842ac9b5deca50275936eacde20173b5f5b1b778af9e8bf6cd84cf97ac334';
  expect(
    fingerprint([
      { sku: 'Z-1', quantity: 1 },
      { sku: 'aa-1', quantity: 2 },
    ]),
  ).toBe(before);
  expect(
    fingerprint([
      { sku: 'AA-1', quantity: 2 },
      { sku: 'Z-1', quantity: 1 },
    ]),
  ).toBe(before);
});
