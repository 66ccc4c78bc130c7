import { isStorableText } from '../../src/db/storable-text';

describe('isStorableText', () => {
  it.each([
    ['plain text', 'Tea'],
    ['empty text', ''],
    ['a well-formed surrogate pair', 'Green tea 🍵'],
    ['several pairs in a row', '🍵🍵🍵'],
    ['other characters beyond ASCII', 'Ærø Straße 1, Ελλάδα, 東京'],
    ['U+FFFD itself', 'x\uFFFDx'],
  ])('accepts %s', (_label, text) => {
    expect(isStorableText(text)).toBe(true);
  });

  it.each([
    ['a NUL', 'a\u0000b'],
    ['a NUL alone', '\u0000'],
    ['a high surrogate alone', '\ud83d'],
    ['a high surrogate at the end', 'tea \ud83d'],
    ['a low surrogate alone', 'tea \udf75 leaves'],
    ['a pair the wrong way round', '\udf75\ud83c'],
    ['a pair and then half of one', '🍵\ud83d'],
  ])('refuses %s', (_label, text) => {
    expect(isStorableText(text)).toBe(false);
  });
});
