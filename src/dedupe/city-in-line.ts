import { KOREAN_CITY_KINDS } from './korean-city-kind';

/**
 * Line 1 that opens with the address's own city (or prefecture), as Chinese, Japanese and Korean
 * addresses are written from the largest place down: "東京都渋谷区神南1-2-3" with city "東京都" is
 * "渋谷区神南1-2-3", "北京市朝阳区建国路88号" with city "北京" is "朝阳区建国路88号", and
 * "서울특별시 강남구 테헤란로 152" with city "서울특별시" is "강남구 테헤란로 152": the city was
 * typed twice on one side and once on the other, and the street read as another. The city's name
 * counts with or without its kind (市, 都, 府, 県, 省; 특별시, 광역시, 시, 도 …). Found from outside
 * (2026-12-05), where such a retyping was "other street".
 */
const WRITTEN_FROM_THE_LARGEST: ReadonlySet<string> = new Set(['CN', 'TW', 'HK', 'MO', 'JP', 'KR']);
/** The kinds a city's or prefecture's name may end with. */
const KINDS = [
  ...['特别行政区', '特別行政區', '特别市', '特別市', '自治区', '自治區', '市', '都', '府', '県', '县', '縣', '省'],
  ...KOREAN_CITY_KINDS,
].join('|');
const KIND = new RegExp(`(?:${KINDS})$`, 'u');
const KIND_AFTER = new RegExp(`^(?:${KINDS})`, 'u');
/** A district's name and kind, next after a city typed without a space: "송파구", "渋谷区", "朝阳区". */
const DISTRICT_NEXT = /^(?:[가-힣]{1,4}[구군]|[\p{sc=Han}]{1,4}[区區县縣])/u;

/**
 * `line` without the address's own city at its start, where the country writes from the largest
 * place down; twice when a prefecture and its city share the name ("大阪府大阪市北区" is "北区").
 */
export function withoutOwnCity(line: string, city: string, country: string): string {
  if (!WRITTEN_FROM_THE_LARGEST.has(country)) return line;
  const name = city.trim().replace(KIND, '');
  if (name.length < 2) return line;
  return withoutName(withoutName(line, name), name);
}

function withoutName(line: string, name: string): string {
  const opening = line.trimStart();
  if (!opening.startsWith(name)) return line;
  const afterName = opening.slice(name.length);
  const rest = afterName.replace(KIND_AFTER, '');
  // The name ends where its kind, a space or the next place does ("서울송파구", typed without
  // spaces, is 서울 and 송파구): "고양이길" (a street) opens with "고양" (a city).
  if (rest === afterName && !/^\s/u.test(rest) && !DISTRICT_NEXT.test(rest)) return line;
  // The city alone is no street: then the line stays as written.
  return rest.trim() === '' ? line : rest.trimStart();
}
