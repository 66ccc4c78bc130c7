import { forEachNdjsonLine } from '../../src/channels/ndjson-lines';

/** A stream of the text cut into chunks of `size` bytes, as fetch hands an answer over. */
function streamOf(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(at, at + size)));
      at += size;
    },
  });
}

async function linesOf(text: string, size: number): Promise<string[]> {
  const lines: string[] = [];
  await forEachNdjsonLine(streamOf(text, size), (line) => lines.push(line));
  return lines;
}

describe('forEachNdjsonLine (channels:pos reading its answer)', () => {
  it('hands over every line whatever the chunks, a character cut across two of them included', async () => {
    const text = '{"type":"progress","done":1}\n\n{"type":"report","store":"Köln-ü"}\n';
    for (const size of [1, 2, 3, 7, 64, 1_000])
      expect(await linesOf(text, size)).toEqual(['{"type":"progress","done":1}', '{"type":"report","store":"Köln-ü"}']);
    expect(await linesOf('{"a":1}\n{"b":2}', 4)).toEqual(['{"a":1}', '{"b":2}']);
  });

  // That it takes linear time (its whole text was split again at every chunk: 16 s) is
  // LineSplitter's test: each chunk is scanned once.
  it('reads a report line of 44 MiB whole', async () => {
    const report = `{"type":"report","problems":"${'x'.repeat(44 * 1_048_576)}"}`;
    const lines = await linesOf(`{"type":"progress"}\n${report}\n`, 65_536);
    expect(lines.map((line) => line.length)).toEqual([19, report.length]);
  });
});
