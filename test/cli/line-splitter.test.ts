import { Readable } from 'node:stream';
import { LineSplitter } from '../../src/cli/line-splitter';
import { readLines } from '../../src/order-index/read-lines';

/** The lines a splitter makes of the text cut into chunks of `size` characters. */
function split(text: string, size: number): string[] {
  const splitter = new LineSplitter();
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += size) lines.push(...splitter.push(text.slice(at, at + size)));
  const last = splitter.end();
  return last === null ? lines : [...lines, last];
}

describe('LineSplitter (readLines of orders:import, forEachNdjsonLine of channels:pos)', () => {
  it('makes the same lines whatever the chunks: LF or CRLF, a CR and its LF cut apart, blank lines kept', () => {
    const text = 'a,b\r\n\r\nlong line\nlast';
    for (const size of [1, 2, 3, 5, 64]) expect(split(text, size)).toEqual(['a,b', '', 'long line', 'last']);
    expect(split('one\n', 2)).toEqual(['one']);
    expect(split('', 4)).toEqual([]);
  });

  it('scans each chunk once, however long the line it belongs to (splitting the pending text again was quadratic)', () => {
    const text = `${'x'.repeat(200_000)}\nshort\n${'y'.repeat(50_000)}`;
    const original = Object.getOwnPropertyDescriptor(String.prototype, 'split')!.value as (
      this: string,
      separator: string,
    ) => string[];
    let scanned = 0;
    const spy = jest.spyOn(String.prototype, 'split').mockImplementation(function (this: string, separator) {
      scanned += this.length;
      return original.call(this, separator as unknown as string);
    });
    try {
      const splitter = new LineSplitter();
      for (let at = 0; at < text.length; at += 1_000) splitter.push(text.slice(at, at + 1_000));
      splitter.end();
    } finally {
      spy.mockRestore();
    }
    expect(scanned).toBe(text.length);
  });

  it('keeps a line that spans many chunks whole', () => {
    const long = 'x'.repeat(100_000);
    expect(split(`${long}\nshort\n${long}`, 4_096)).toEqual([long, 'short', long]);
  });
});

describe('readLines', () => {
  it('reads the lines of a byte stream, a character cut across two chunks included', async () => {
    const bytes = Buffer.from('Köln-ü\r\n\nzwei\ndrei');
    const chunks = Array.from({ length: bytes.length }, (_, at) => bytes.subarray(at, at + 1));
    const lines: string[] = [];
    for await (const line of readLines(Readable.from(chunks))) lines.push(line);
    expect(lines).toEqual(['Köln-ü', '', 'zwei', 'drei']);
  });
});
