/**
 * Writes a seeded, labelled order stream as an import file (order-record JSON lines), for trying
 * and measuring `npm run orders:import` and `npm run dedupe`:
 *
 *   npm run build && node dist/scripts/generate-order-file.js OUT.jsonl [orders=100000] [seed=1]
 *
 * The SKUs are SKU-0001 … SKU-0300: seed them in the catalog first (see README).
 */
import { createWriteStream } from 'node:fs';
import { generateOrderStream } from '../test/fixtures/order-stream';

const [out, size = '100000', seed = '1'] = process.argv.slice(2);
if (!out) {
  console.error('usage: node dist/scripts/generate-order-file.js OUT.jsonl [orders] [seed]');
  process.exit(2);
}
const stream = generateOrderStream({ seed: Number(seed), size: Number(size) });
const file = createWriteStream(out);
for (const order of stream) file.write(`${JSON.stringify(order.record)}\n`);
file.end(() =>
  console.log(
    JSON.stringify({
      orders: stream.length,
      trueDuplicates: stream.filter((order) => order.duplicateOf).length,
      file: out,
    }),
  ),
);
