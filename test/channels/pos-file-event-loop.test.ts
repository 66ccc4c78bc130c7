import { readPosFile } from '../../src/channels/pos-file';
import { withTestServer } from '../support/test-server-fixture';

/**
 * A big POS file is read in slices, the event loop free between them. Found from outside: a 16 MiB
 * upload was read in one piece (2.2 s), and the server answered nothing else meanwhile, /healthz
 * included (a load balancer's probe timing out marks the instance dead). An ordering check, not a
 * timer: the probe, sent once the reading has started, must be answered before it ends.
 */
const fixture = withTestServer('pos-file-event-loop');

/** A POS export of about `bytes` bytes: good item lines, a receipt every line. */
function bigPosFile(bytes: number): string {
  const rows = ['store,receipt,sku,quantity,currency'];
  for (let size = 0, index = 0; size < bytes; index++) {
    const row = `store-${index % 50},R-${String(index).padStart(8, '0')},SKU-${index % 300},${1 + (index % 5)},EUR`;
    rows.push(row);
    size += row.length + 1;
  }
  return `${rows.join('\n')}\n`;
}

it('answers /healthz while a 16 MiB POS file is being read', async () => {
  const text = bigPosFile(16 * 1024 * 1024);
  const order: string[] = [];
  const reading = Promise.resolve(readPosFile(text)).then((file) => {
    order.push('file read');
    return file;
  });
  const probe = fetch(`${fixture.server.url}/healthz`).then((response) => order.push(`healthz ${response.status}`));
  const [file] = await Promise.all([reading, probe]);
  expect('receipts' in file && file.receipts.length).toBe(501_813);
  expect(order).toEqual(['healthz 200', 'file read']);
});
