import { charsetNamed } from './json-charset';

/**
 * A body the server does not read (a 415): what named it, the name, and a sentence saying so. A
 * charset or a Content-Encoding body-parser refuses, or a media type a JSON route does not take.
 */
export interface UnsupportedBody {
  /** The content type's `charset`, the `Content-Encoding`, or the content type's media type. */
  named: 'charset' | 'encoding' | 'mediaType';
  /** As the request gave it: `latin1`, `compress`, `text/plain`; absent for a body sent without a content type. */
  name?: string;
  message: string;
}

/**
 * body-parser's refusals of a body in a charset or a Content-Encoding it does not read, in this
 * API's words (its own messages are not sent); undefined for any other error. One reading for
 * both doors: GraphQL's 415 BAD_REQUEST (http-errors.ts) and the REST API's 415 problem
 * (channels.router.ts) say the same sentence. `contentType`: the request's, to name its charset as sent.
 */
export function unsupportedBodyOf(error: unknown, contentType?: string): UnsupportedBody | undefined {
  const { type, charset, encoding } = (error ?? {}) as { type?: unknown; charset?: unknown; encoding?: unknown };
  if (type === 'charset.unsupported' && typeof charset === 'string') {
    // body-parser lower-cases the name; the answer names it as the request wrote it (`Latin1`).
    const named = charsetNamed(contentType);
    return unsupportedCharset(named?.toLowerCase() === charset ? named : charset);
  }
  if (type === 'encoding.unsupported' && typeof encoding === 'string')
    return {
      named: 'encoding',
      name: encoding,
      message: `The body's Content-Encoding "${encoding}" is not supported: send it uncompressed, or as gzip, deflate or br.`,
    };
  return undefined;
}

/** A JSON body in a charset this server does not read, as the request named it (`latin1`). */
export function unsupportedCharset(charset: string): UnsupportedBody {
  return {
    named: 'charset',
    name: charset,
    message: `The body's charset "${charset}" is not supported: send JSON in UTF-8.`,
  };
}

/**
 * A body in a media type a JSON route does not take, named without its parameters and lower-cased
 * (`Text/Plain; charset=utf-8`: `text/plain`); a body without a content type has none to name.
 */
export function unsupportedMediaType(contentType: string | undefined): UnsupportedBody {
  const remedy = 'send JSON (content-type application/json).';
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!mediaType) return { named: 'mediaType', message: `The body came without a content type: ${remedy}` };
  return {
    named: 'mediaType',
    name: mediaType,
    message: `The body's media type "${mediaType}" is not supported: ${remedy}`,
  };
}
