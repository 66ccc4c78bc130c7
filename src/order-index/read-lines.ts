import type { Readable } from 'node:stream';
import { LineSplitter } from '../cli/line-splitter';

/**
 * The lines of a stream, read with back-pressure: the next chunk is read only when the consumer
 * asks for more lines. (readline's async iterator buffers every line of a fast file ahead of a slow
 * consumer, which made a 100 000-line import hold the whole file in memory.)
 */
export async function* readLines(input: Readable): AsyncGenerator<string> {
  const splitter = new LineSplitter();
  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) yield* splitter.push(chunk);
  const last = splitter.end();
  if (last !== null) yield last;
}
