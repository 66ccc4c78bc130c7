import { compareAddresses } from '../../src/dedupe/address-comparison';
import { foldText } from '../../src/dedupe/text-folding';
import type { ShippingAddress } from '../../src/dedupe/shipping-address';

/**
 * Hangul typed letter by letter where the input method did not compose the syllables
 * ("ㅅㅔㅈㅗㅇㄷㅐㄹㅗ" for "세종대로") is the same text: found from outside, such a resend was
 * another street. Composed as a Korean keyboard does: a consonant before a vowel opens a syllable,
 * one after it closes it, two vowels or two closing consonants typed in turn are one (ㅗ ㅏ is ㅘ,
 * ㄹ ㄱ is ㄺ). Decomposed syllables (NFD) already agreed.
 */
const seoul: ShippingAddress = { line1: '세종대로 110', city: '서울', postalCode: '04524', country: 'KR' };

describe('Hangul typed as uncomposed letters', () => {
  it.each([
    ['ㅅㅔㅈㅗㅇㄷㅐㄹㅗ', '세종대로'],
    ['ㅅㅓㅇㅜㄹ', '서울'],
    ['ㄷㅏㄹㄱ', '닭'],
    ['ㄷㅏㄹㄱㅗㄱㅣ', '달고기'],
    ['ㄱㅗㅏㅇㅎㅗㅏㅁㅜㄴ', '광화문'],
    ['ㅇㅡㅣㅈㅏ', '의자'],
    ['ㅋㅋ', 'ㅋㅋ'],
  ])('reads %s as %s', (typed, composed) => {
    expect(foldText(typed)).toBe(foldText(composed));
  });

  it('holds the same street typed so, and tells another street apart', () => {
    expect(compareAddresses(seoul, { ...seoul, line1: 'ㅅㅔㅈㅗㅇㄷㅐㄹㅗ 110', city: 'ㅅㅓㅇㅜㄹ' })).toMatchObject({
      alike: true,
      identical: true,
    });
    expect(compareAddresses(seoul, { ...seoul, line1: 'ㅈㅗㅇㄹㅗ 110' }).differences).toEqual(['other street']);
  });
});
