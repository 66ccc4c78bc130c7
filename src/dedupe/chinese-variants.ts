import * as OpenCC from 'opencc-js';
import { memoised } from './address-words';
import type { ShippingAddress } from './shipping-address';

/**
 * Traditional Chinese characters read as simplified ones, where addresses are written in Chinese:
 * "王偉, 中山東路18號" and "王伟, 中山东路18号" are one recipient at one place, typed once on a
 * traditional and once on a simplified input method (Taiwan, Hong Kong and the mainland write to
 * one another). With OpenCC's tables (opencc-js), loaded on the first Chinese address. Found from
 * outside (2026-12-05), where such a retyping was "other street" and "other recipient".
 */
const CHINESE_WRITING: ReadonlySet<string> = new Set(['CN', 'TW', 'HK', 'MO', 'SG', 'MY']);
const HAN = /\p{sc=Han}/u;
const TEXT_FIELDS = ['name', 'line1', 'line2', 'city'] as const;

let converter: ((text: string) => string) | undefined;
/**
 * Simplified, remembered per text: an address is compared with every candidate of its customer, and
 * each comparison converts both sides again (about 4 µs a field).
 */
const toSimplified = memoised((text: string) => (converter ??= OpenCC.Converter({ from: 't', to: 'cn' }))(text));

/** The address with its Chinese text in simplified characters, where its country writes Chinese; else as it is. */
export function inSimplifiedChinese(address: ShippingAddress): ShippingAddress {
  if (!CHINESE_WRITING.has(address.country.trim().toUpperCase())) return address;
  let read = address;
  for (const field of TEXT_FIELDS) {
    const text = address[field];
    if (!text || !HAN.test(text)) continue;
    const simplified = toSimplified(text);
    if (simplified !== text) read = { ...read, [field]: simplified };
  }
  return read;
}
