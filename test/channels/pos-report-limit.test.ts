import { post } from '../support/channels';
import { withTestServer } from '../support/test-server-fixture';

/**
 * An upload's report lists at most 10 000 bad lines and 10 000 receipts not placed, and counts the
 * rest. Found from outside: the report named every bad line, so a file of 300 000 bad lines
 * answered a 44.5 MiB report (uncapped by anything but the upload's own limit).
 */
const fixture = withTestServer('pos-report-limit');

it('lists the first 10 000 bad lines and receipts not placed, and counts the others', async () => {
  const bad = 10_003;
  const rows = ['store,receipt,sku,quantity,currency'];
  for (let index = 0; index < bad; index++) rows.push(`store-1,R-${index},TEA-1,-1,EUR`);
  const admin = await fixture.server.tokenFor('pos-ops', 'admin');
  const response = await post(fixture.server.url, '/channels/pos/receipts', `${rows.join('\n')}\n`, {
    authorization: `Bearer ${admin}`,
    'content-type': 'text/csv',
  });
  expect(response.status).toBe(200);
  const report = JSON.parse(response.text.trim().split('\n').at(-1)!) as Record<string, unknown> & {
    problems: { line: number }[];
    notPlaced: { receipt: string }[];
  };
  expect({
    rejected: report['rejected'],
    problems: report.problems.length,
    lastListedLine: report.problems.at(-1)?.line,
    problemsNotListed: report['problemsNotListed'],
    notPlaced: report.notPlaced.length,
    notPlacedNotListed: report['notPlacedNotListed'],
  }).toEqual({
    rejected: bad,
    problems: 10_000,
    lastListedLine: 10_001,
    problemsNotListed: 3,
    notPlaced: 10_000,
    notPlacedNotListed: 3,
  });
});
