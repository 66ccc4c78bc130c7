import { compareAddresses } from '../../src/dedupe/address-comparison';
import type { ShippingAddress } from '../../src/dedupe/shipping-address';

/**
 * Streets named after a date ("rue du Quatre-Septembre", "Via XX Settembre", "Calle Dos de Mayo",
 * "Rua 25 de Março", "ul. 3 Maja", "ул. 8 Марта") are written with the day in digits, in words or
 * in Roman numerals: one street.
 * Another day is another street. Found from outside (2026-12-05), each rule both ways.
 */
const address = (country: string, line1: string, city = 'Springfield'): ShippingAddress => ({
  line1,
  city,
  postalCode: '12345',
  country,
});
const alike = (country: string, a: string, b: string) =>
  compareAddresses(address(country, a), address(country, b)).alike;

describe('the day of a street named after a date, in words or Roman numerals, is its digits', () => {
  it.each([
    ['FR', '5 rue du Quatre-Septembre', '5 rue du 4 Septembre'],
    ['FR', '5 rue du Quatre Septembre', '5 rue du 4-Septembre'],
    ['FR', '12 avenue du 8 Mai 1945', '12 av. du Huit-Mai-1945'],
    ['FR', '3 place du 11 Novembre', '3 place du Onze-Novembre'],
    ['FR', '3 place du 14 Juillet', '3 place du Quatorze-Juillet'],
    ['FR', '7 rue du 19 Mars 1962', '7 rue du Dix-Neuf-Mars-1962'],
    ['FR', '7 rue du 1er Mai', '7 rue du Premier-Mai'],
    ['IT', 'Via XX Settembre 5', 'Via 20 Settembre 5'],
    ['IT', 'Via XX Settembre 5', 'Via Venti Settembre 5'],
    ['IT', 'Corso IV Novembre 8', 'Corso 4 Novembre 8'],
    ['IT', 'Via XXIV Maggio 2', 'Via 24 Maggio 2'],
    ['IT', 'Via XXIV Maggio 2', 'Via Ventiquattro Maggio 2'],
    ['ES', 'Calle Dos de Mayo 5', 'Calle 2 de Mayo 5'],
    ['ES', 'Avenida 9 de Julio 100', 'Avenida Nueve de Julio 100'],
    ['ES', 'Calle 25 de Diciembre 3', 'Calle Veinticinco de Diciembre 3'],
    ['ES', 'Calle 31 de Octubre 3', 'Calle Treinta y Uno de Octubre 3'],
    ['BR', 'Rua 25 de Março, 100', 'Rua Vinte e Cinco de Março, 100'],
    ['BR', 'Rua 7 de Setembro, 100', 'Rua Sete de Setembro, 100'],
    ['BR', 'Rua 1º de Março, 100', 'Rua Primeiro de Março, 100'],
    ['PL', 'ul. Trzeciego Maja 12', 'ul. 3 Maja 12'],
    ['PL', 'ul. Dwudziestego Dziewiątego Listopada 5', 'ul. 29 Listopada 5'],
    ['RU', 'ул. Восьмого Марта, д. 10', 'ул. 8 Марта, д. 10'],
    ['RU', 'ул. Двадцать Пятого Октября, д. 3', 'ул. 25 Октября, д. 3'],
    ['UA', 'вул. Восьмого Березня, 5', 'вул. 8 Березня, 5'],
  ])('%s: %s / %s: one street', (country, a, b) => {
    expect(alike(country, a, b)).toBe(true);
  });

  it.each([
    ['FR', '5 rue du Quatre-Septembre', '5 rue du 14 Septembre'],
    ['FR', '5 rue du 4 Septembre', '5 rue du Quatorze-Septembre'],
    ['FR', '12 avenue du 8 Mai 1945', '12 avenue du Neuf-Mai-1945'],
    ['IT', 'Via XX Settembre 5', 'Via 21 Settembre 5'],
    ['IT', 'Via XX Settembre 5', 'Via XXIV Maggio 5'],
    ['IT', 'Via Venti Settembre 5', 'Via Ventuno Settembre 5'],
    ['ES', 'Calle Dos de Mayo 5', 'Calle 3 de Mayo 5'],
    ['ES', 'Calle Dos de Mayo 5', 'Calle Dos de Junio 5'],
    ['BR', 'Rua Vinte e Cinco de Março, 100', 'Rua 24 de Março, 100'],
    ['PL', 'ul. Trzeciego Maja 12', 'ul. 1 Maja 12'],
    ['RU', 'ул. Восьмого Марта, д. 10', 'ул. 9 Мая, д. 10'],
    ['RU', 'ул. Первого Мая, д. 10', 'ул. Девятого Мая, д. 10'],
    // A house number before a street named after a month stays the house's: not a date.
    ['GB', 'Flat 4, May Court', 'Flat 5, May Court'],
    ['FR', '4 rue Mai', '5 rue Mai'],
  ])('%s: %s / %s: two places', (country, a, b) => {
    expect(alike(country, a, b)).toBe(false);
  });
});
