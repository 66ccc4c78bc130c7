import type { IncomingMessage } from 'node:http';

/**
 * Charset names, lower-cased, under which a JSON body reads as UTF-8 though body-parser refuses
 * them (it takes only names starting `utf-`): IANA's aliases of UTF-8 (`csUTF8`) and `utf8`,
 * which IANA does not register but which clients and languages commonly send for it; and IANA's
 * names of US-ASCII, a subset of UTF-8 (every ASCII body is the same bytes in UTF-8). No other
 * charset: a body in latin1 or windows-1252 is not UTF-8 and is refused (415) as before.
 */
const READ_AS_UTF8 = new Set([
  'utf8',
  'csutf8',
  'us-ascii',
  'iso-ir-6',
  'ansi_x3.4-1968',
  'ansi_x3.4-1986',
  'iso_646.irv:1991',
  'iso646-us',
  'us',
  'ibm367',
  'cp367',
  'csascii',
]);

/** The `charset` parameter of a content type and its value, quoted or not. */
const CHARSET_PARAMETER = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i;

/** The charset a content type names, as written (`UTF8`, `Latin1`); undefined when it names none. */
export function charsetNamed(contentType: string | undefined): string | undefined {
  return CHARSET_PARAMETER.exec(contentType ?? '')?.[2];
}

/**
 * Express middleware before the JSON parsers: a JSON body labelled with one of the names above is
 * labelled `utf-8` instead, so that body-parser reads it (as UTF-8) where it answered 415. Only
 * `application/json`: other media types (a POS upload's `text/csv; charset=…`) keep their label,
 * which their route decodes by.
 */
export function readCharsetAliasesAsUtf8(request: IncomingMessage, _response: unknown, next: () => void): void {
  const contentType = request.headers['content-type'];
  const charset = charsetNamed(contentType);
  if (
    contentType !== undefined &&
    charset !== undefined &&
    READ_AS_UTF8.has(charset.toLowerCase()) &&
    contentType.split(';')[0]?.trim().toLowerCase() === 'application/json'
  )
    request.headers['content-type'] = contentType.replace(CHARSET_PARAMETER, '; charset=utf-8');
  next();
}
