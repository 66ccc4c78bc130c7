import { compareAddresses } from '../../src/dedupe/address-comparison';
import type { ShippingAddress } from '../../src/dedupe/shipping-address';

/**
 * A line of symbols alone (an emoji for the house, a star) beside a line of words is part of the
 * address as written, not nothing: two of them differ, one typed again agrees. Found from outside:
 * a second line "🏢" after "🏠" was dropped as soon as the first line had words, so it could not
 * tell two orders apart, though a street of symbols alone already did.
 */
const berlin: ShippingAddress = {
  line1: 'Hauptstr. 5',
  line2: '🏠',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};
const differences = (change: Partial<ShippingAddress>) =>
  compareAddresses(berlin, { ...berlin, ...change }).differences;

describe('a line of symbols beside a line of words', () => {
  it('tells two of them apart', () => {
    expect(differences({ line2: '🏢' })).toEqual(['other street']);
    expect(differences({ line1: 'Hauptstr. 5, ★', line2: null })).toEqual(['other street']);
  });

  it('agrees with itself typed again', () => {
    expect(differences({ line2: ' 🏠 ' })).toEqual([]);
    expect(differences({ line1: 'Hauptstr. 5, 🏠', line2: null })).toEqual([]);
    // On one side only, symbols are decoration, with numbers or without.
    expect(differences({ line2: null })).toEqual([]);
    const cottage = { ...berlin, line1: 'Rose Cottage', line2: '🌹' };
    expect(compareAddresses(cottage, { ...cottage, line2: null }).differences).toEqual([]);
    expect(compareAddresses(cottage, { ...cottage, line1: 'Ivy Cottage' }).differences).toEqual(['other street']);
    // A zero-width joiner only draws the family as one picture.
    const family = { ...berlin, line2: '👨\u200d👩\u200d👧' };
    expect(compareAddresses(family, { ...family, line2: '👨👩👧' }).differences).toEqual([]);
  });
});
