/**
 * The kind of a Korean city or province after its name: "서울특별시", "서울시" and "서울" are one
 * city, as are "부산광역시" and "부산", "세종특별자치시" and "세종", "제주특별자치도" and "제주도".
 * Addresses write it or leave it out as they please, and the kind alone is three or four syllables
 * of a five-syllable word: spelled alike, the two were too far apart (and "대구광역시" was alike
 * "대전광역시" by the kind they share). The names are what is compared. A name of one syllable keeps
 * its kind, unless a space typed inside the name split it ("구 리시" is "구리시"). Found from outside
 * (2026-12-05).
 */
/** The kinds a Korean city or province takes after its name (city-in-line.ts reads them too). */
export const KOREAN_CITY_KINDS = ['특별자치시', '특별자치도', '특별시', '광역시', '시', '도'] as const;
const KIND = new RegExp(`(?:${KOREAN_CITY_KINDS.join('|')})$`, 'u');

/** A Korean city's words without the kinds after their names ("서울특별시" → "서울"), where `country` is KR. */
export function withoutKoreanCityKind(words: readonly string[], country: string): string[] {
  if (country !== 'KR') return [...words];
  let before = '';
  return words
    .map((word) => {
      const name = word.replace(KIND, '');
      const bare = (before + name).length >= 2 ? name : word;
      before += word;
      return bare;
    })
    .filter((word) => word !== '');
}
