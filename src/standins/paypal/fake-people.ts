import { hashOf, pickBy } from './hash.js';

/**
 * Deterministic buyers and addresses derived from one 32-bit "persona" number, so a generated transaction
 * stores only that number. All texts fit the reporting spec's character patterns (letters, digits, spaces
 * and `_'-.,":;!?`).
 */

const GIVEN_NAMES = ['Ada', 'Ben', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kavya', 'Liam', 'Maya', 'Noah', 'Olga', 'Pablo', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Umar', 'Vera', 'Wei', 'Yara', 'Zoe'];
const SURNAMES = ['Adler', 'Brooks', 'Costa', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Hansen', 'Ito', 'Jensen', 'Kowalski', 'Lopez', 'Moreau', 'Nakamura', 'OBrien', 'Petrov', 'Rossi', 'Schmidt', 'Tanaka', 'Varga', 'Weber', 'Young'];
const PLACES = [
  { city: 'San Jose', state: 'CA', country: 'US', postal: '95131' },
  { city: 'Austin', state: 'TX', country: 'US', postal: '78701' },
  { city: 'Chicago', state: 'IL', country: 'US', postal: '60601' },
  { city: 'New York', state: 'NY', country: 'US', postal: '10001' },
  { city: 'Toronto', state: 'ON', country: 'CA', postal: 'M5H 2N2' },
  { city: 'London', state: '', country: 'GB', postal: 'EC1A 1BB' },
  { city: 'Berlin', state: '', country: 'DE', postal: '10115' },
  { city: 'Lyon', state: '', country: 'FR', postal: '69001' },
  { city: 'Madrid', state: '', country: 'ES', postal: '28001' },
  { city: 'Tokyo', state: '', country: 'JP', postal: '100-0001' },
  { city: 'Sydney', state: 'NSW', country: 'AU', postal: '2000' },
] as const;
const STREETS = ['Main St', 'Oak Avenue', 'Harbour Road', 'Station Street', 'Elm Way', 'Market Square', 'Hill Lane'];
/** PayPal payer ids: 13 characters from digits 2-9 and upper-case letters without I and O. */
const PAYER_ID_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

export interface Persona {
  givenName: string;
  surname: string;
  email: string;
  payerId: string;
  verified: boolean;
  address: { line1: string; city: string; state: string; countryCode: string; postalCode: string };
}

export function payerIdFrom(seed: number, salt: number): string {
  let out = '';
  for (let i = 0; i < 13; i += 1) out += pickBy(hashOf(seed, salt, i, 0x9a1), PAYER_ID_ALPHABET.split(''));
  return out;
}

export function personaFrom(persona: number): Persona {
  const givenName = pickBy(hashOf(persona, 1), GIVEN_NAMES);
  const surname = pickBy(hashOf(persona, 2), SURNAMES);
  const place = pickBy(hashOf(persona, 3), PLACES);
  const number = (hashOf(persona, 4) % 9000) + 100;
  return {
    givenName,
    surname,
    email: `${givenName.toLowerCase()}.${surname.toLowerCase()}${hashOf(persona, 5) % 1000}@example.com`,
    payerId: payerIdFrom(persona, 6),
    verified: hashOf(persona, 7) % 10 !== 0,
    address: {
      line1: `${number} ${pickBy(hashOf(persona, 8), STREETS)}`,
      city: place.city,
      state: place.state,
      countryCode: place.country,
      postalCode: place.postal,
    },
  };
}
