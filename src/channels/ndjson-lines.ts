/**
 * The lines of an NDJSON stream (a POS upload's answer), each handed over as it completes, blank
 * ones skipped. Each chunk is looked at once: a report of a file whose every line is bad is one
 * line of tens of MiB, and splitting the whole pending text again at every 64 KiB chunk took the
 * CLI 16 s on a 44 MiB report (found from outside).
 */
export async function forEachNdjsonLine(
  body: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let pending: string[] = [];
  const reader = body.getReader();
  const emit = (line: string) => {
    if (line.trim().length > 0) onLine(line);
  };
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    const parts = decoder.decode(chunk.value, { stream: true }).split('\n');
    if (parts.length === 1) {
      pending.push(parts[0]);
      continue;
    }
    emit(pending.join('') + parts[0]);
    for (const line of parts.slice(1, -1)) emit(line);
    pending = [parts[parts.length - 1]];
  }
  emit(pending.join('') + decoder.decode());
}
