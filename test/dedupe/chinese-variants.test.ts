import { compareAddresses } from '../../src/dedupe/address-comparison';
import type { ShippingAddress } from '../../src/dedupe/shipping-address';

/**
 * One address typed once in traditional and once in simplified Chinese characters is one place for
 * one recipient; another street, number or recipient stays another. Japanese is left as written.
 * Found from outside (2026-12-05), where such a retyping was "other street, other recipient". Both ways.
 */
const address = (name: string, line1: string, city: string, country = 'CN'): ShippingAddress => ({
  name,
  line1,
  city,
  postalCode: '210000',
  country,
});
const alike = (a: ShippingAddress, b: ShippingAddress) => compareAddresses(a, b).alike;

describe('traditional and simplified Chinese characters', () => {
  it.each([
    ['CN', address('王偉', '中山東路18號', '南京市'), address('王伟', '中山东路18号', '南京市')],
    ['HK', address('陳大文', '彌敦道123號', '九龍', 'HK'), address('陈大文', '弥敦道123号', '九龙', 'HK')],
    [
      'TW',
      address('林志強', '忠孝東路四段100號', '臺北市', 'TW'),
      address('林志强', '忠孝东路四段100号', '台北市', 'TW'),
    ],
  ])('%s: one place typed in both', (_, a, b) => {
    expect(alike(a, b)).toBe(true);
  });

  it.each([
    ['another direction', address('王偉', '中山東路18號', '南京市'), address('王伟', '中山西路18号', '南京市')],
    ['another number', address('王偉', '中山東路18號', '南京市'), address('王伟', '中山东路19号', '南京市')],
    ['another recipient', address('王偉', '中山東路18號', '南京市'), address('李伟', '中山东路18号', '南京市')],
  ])('%s: two places', (_, a, b) => {
    expect(alike(a, b)).toBe(false);
  });
});
