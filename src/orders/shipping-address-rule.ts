/** Characters in one field of a shipping address. */
export const MAX_ADDRESS_FIELD_LENGTH = 200;

/** The rules of parseShippingAddress, as the GraphQL schema and the OpenAPI document state them. */
export const SHIPPING_ADDRESS_RULE =
  `Each field trimmed, at most ${MAX_ADDRESS_FIELD_LENGTH} characters, with no control character (a line break, a tab, ESC, …) ` +
  'nor bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069) nor interlinear annotation mark (U+FFF9–U+FFFB), else the answer names the field. ' +
  'A field that shows nothing (spaces, zero-width or filler characters) is blank: a required one is missing, an optional one is left out.';
