/**
 * A request body's bytes read as text, refusing bytes that are not of its encoding. A decoder that
 * puts U+FFFD in their place makes distinct text one: a Latin-1 export's receipts R-é and R-è
 * became one receipt, two signed marketplace orders one order (found from outside).
 */

/** The text, or why the bytes are not text of that encoding. */
export type DecodedText = { text: string } | { problem: string };

/** The encoding a byte order mark names: per the WHATWG Encoding standard, a BOM wins over a label. */
function encodingOfBom(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * Decodes UTF-8 strictly (a byte order mark is kept, as JSON.parse sees it), or null when a byte
 * is not UTF-8. For the webhook's JSON, which RFC 8259 requires to be UTF-8.
 */
export function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Decodes a file in the encoding its byte order mark names, else the content type's `charset`,
 * else UTF-8; the problem names the encoding and, for UTF-8, the first line that is not.
 */
export function decodeTextFile(bytes: Uint8Array, charset: string | undefined): DecodedText {
  const encoding = encodingOfBom(bytes) ?? charset ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    return { problem: `The charset ${JSON.stringify(encoding)} is not one this server reads.` };
  }
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    const where = decoder.encoding === 'utf-8' ? ` (line ${firstLineNotUtf8(bytes)})` : '';
    return {
      problem:
        `The file is not valid ${decoder.encoding}${where}: save it as UTF-8, or name its encoding ` +
        `in the content type (text/csv; charset=windows-1252).`,
    };
  }
}

/** The 1-based number of the first line (ended by LF, CRLF or CR) holding a byte that is not UTF-8. */
function firstLineNotUtf8(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let at = 0; at <= bytes.length; at++) {
    const ends = at === bytes.length || bytes[at] === 0x0a || bytes[at] === 0x0d;
    if (!ends) continue;
    if (strictUtf8(bytes.subarray(start, at)) === null) return line;
    if (bytes[at] === 0x0d && bytes[at + 1] === 0x0a) at++;
    line++;
    start = at + 1;
  }
  return line;
}

/** The `charset` parameter of a Content-Type header, lower-cased, if it names one. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}
