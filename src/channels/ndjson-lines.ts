import { LineSplitter } from '../cli/line-splitter';

/**
 * The lines of an NDJSON stream (a POS upload's answer), each handed over as it completes, blank
 * ones skipped. A report of a file whose every line is bad is one line of tens of MiB: LineSplitter
 * looks at each chunk once.
 */
export async function forEachNdjsonLine(
  body: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  const splitter = new LineSplitter();
  const emit = (line: string | null) => {
    if (line !== null && line.trim().length > 0) onLine(line);
  };
  const reader = body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
    splitter.push(decoder.decode(chunk.value, { stream: true })).forEach(emit);
  splitter.push(decoder.decode()).forEach(emit);
  emit(splitter.end());
}
