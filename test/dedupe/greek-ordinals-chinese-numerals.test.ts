import { compareAddresses } from '../../src/dedupe/address-comparison';
import type { ShippingAddress } from '../../src/dedupe/shipping-address';

/**
 * Numbers written as words in Greek (ordinals: "Δεύτερη Πάροδος" / "2η Πάροδος") and in Chinese
 * numerals ("八十八号" / "88号") are their digits. Found from outside (2026-12-05), where such
 * retypings were "other numbers". Both ways.
 */
const greek = (line1: string): ShippingAddress => ({ line1, city: 'Αθήνα', postalCode: '10563', country: 'GR' });
const chinese = (line1: string): ShippingAddress => ({ line1, city: '北京市', postalCode: '100022', country: 'CN' });

describe('Greek ordinals', () => {
  it.each([
    ['Δεύτερη Πάροδος Αιόλου 4', '2η Πάροδος Αιόλου 4'],
    ['ΔΕΥΤΕΡΗ ΠΑΡΟΔΟΣ ΑΙΟΛΟΥ 4', '2Η Πάροδος Αιόλου 4'],
    ['Πέμπτης Μαΐου 4', '5ης Μαΐου 4'],
    ['28ης Οκτωβρίου 15', '28 Οκτωβρίου 15'],
    ['28ΗΣ ΟΚΤΩΒΡΙΟΥ 15', '28ης Οκτωβρίου 15'],
    ['Ερμού 12, 4ος όροφος', 'Ερμού 12, 4ος'],
  ])('%s / %s: one place', (a, b) => {
    expect(compareAddresses(greek(a), greek(b)).alike).toBe(true);
  });

  it.each([
    ['Δεύτερη Πάροδος Αιόλου 4', 'Τρίτη Πάροδος Αιόλου 4'],
    ['1η Πάροδος Αιόλου 4', '2η Πάροδος Αιόλου 4'],
    ['28ης Οκτωβρίου 15', '25ης Οκτωβρίου 15'],
    ['Ερμού 12, 4ος', 'Ερμού 4, 12ος'],
  ])('%s / %s: two places', (a, b) => {
    expect(compareAddresses(greek(a), greek(b)).alike).toBe(false);
  });
});

describe('Chinese numerals before the words that number a place', () => {
  it.each([
    ['建国路八十八号', '建国路88号'],
    ['望京街三号楼二单元五〇一室', '望京街3号楼2单元501室'],
    ['望京街三号楼二单元五零一室', '望京街3号楼2单元501室'],
    ['望京街一百零五号', '望京街105号'],
    ['建国路两号', '建国路2号'],
    ['望京街5号十二层', '望京街5号12层'],
  ])('%s / %s: one place', (a, b) => {
    expect(compareAddresses(chinese(a), chinese(b)).alike).toBe(true);
  });

  it.each([
    ['建国路八十八号', '建国路89号'],
    ['望京街三号楼二单元五〇一室', '望京街2号楼3单元501室'],
    // A street named after a date keeps its numerals: 八一路 is no 81路.
    ['八一路12号', '81路12号'],
  ])('%s / %s: two places', (a, b) => {
    expect(compareAddresses(chinese(a), chinese(b)).alike).toBe(false);
  });
});
