import type { Readable } from 'node:stream';

/**
 * The lines of a stream, read with back-pressure: the next chunk is read only when the consumer
 * asks for more lines. (readline's async iterator buffers every line of a fast file ahead of a slow
 * consumer, which made a 100 000-line import hold the whole file in memory.)
 */
export async function* readLines(input: Readable): AsyncGenerator<string> {
  let rest = '';
  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) yield part.endsWith('\r') ? part.slice(0, -1) : part;
  }
  if (rest.length > 0) yield rest;
}
