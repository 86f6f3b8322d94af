import { Rng } from '../seeded-rng.js';

/** Word lists for realistic generated records (names, products, places). */
export const GIVEN_NAMES = [
  'Amelia', 'Noah', 'Olivia', 'Liam', 'Emma', 'Mateo', 'Ava', 'Lucas', 'Sofia', 'Ethan', 'Mia', 'Hiro', 'Zoe', 'Omar', 'Chloe',
  'Arjun', 'Grace', 'Diego', 'Hannah', 'Kofi', 'Isla', 'Ravi', 'Nora', 'Felix', 'Leah', 'Tomás', 'Yuki', 'Priya', 'Jonas', 'Elena',
] as const;

export const FAMILY_NAMES = [
  'Garcia', 'Smith', 'Nguyen', 'Okafor', 'Müller', 'Rossi', 'Kim', 'Patel', 'Johnson', 'Silva', 'Cohen', 'Tanaka', 'Haddad', 'Brown',
  'Larsen', 'Dubois', 'Novak', 'Mensah', 'Lopez', 'Walker', "O'Brien", 'Ivanova', 'Chen', 'Khan', 'Moreau', 'Berg', 'Costa', 'Ali',
] as const;

export const COMPANY_NAMES = ['Blue Bottle Events', 'Harbor Print Co', 'Northwind Catering', 'Pine & Oak Studio', 'Lumen Labs', 'Corner Bakery Supply'] as const;

export const EMAIL_DOMAINS = ['example.com', 'mail.example.org', 'inbox.example.net'] as const;

export const STREETS = ['Market St', 'Mission St', 'Valencia St', 'Broadway', 'Elm Ave', 'Harbor Rd', 'Oak Blvd', '1st Ave'] as const;

export const CITIES = [
  ['San Francisco', 'CA', '941'],
  ['Oakland', 'CA', '946'],
  ['Seattle', 'WA', '981'],
  ['Portland', 'OR', '972'],
  ['Austin', 'TX', '787'],
  ['Denver', 'CO', '802'],
] as const;

export const LOCATION_NAMES = ['Main Street', 'Airport Kiosk', 'Harbor Market', 'University Ave', 'Downtown Pop-up', 'Riverside', 'Old Town', 'Mall Court'] as const;

export const PRODUCTS = [
  ['Drip Coffee', 350], ['Cappuccino', 475], ['Oat Latte', 550], ['Croissant', 395], ['Bagel', 325], ['Avocado Toast', 1195],
  ['Granola Bowl', 895], ['Iced Tea', 375], ['Blueberry Muffin', 425], ['Breakfast Burrito', 1050], ['Tote Bag', 1800],
  ['Coffee Beans 12oz', 1650], ['Gift Card', 2500], ['Sandwich', 1125], ['Cookie', 275], ['Smoothie', 795],
] as const;

export const VARIATION_NAMES = ['Regular', 'Small', 'Large', 'Decaf', 'Gluten Free', 'To Go'] as const;

export const CATEGORY_NAMES = ['Beverages', 'Bakery', 'Breakfast', 'Lunch', 'Merchandise', 'Seasonal', 'Snacks', 'Retail Coffee'] as const;

export const ORDER_SOURCES = ['Square Point of Sale', 'Square Online', 'Invoices', 'Tributary Test App'] as const;

/** A fresh, independent random stream per (stream seed, row): rendering a row never depends on other rows. */
export function rowRng(streamSeed: number, row: number): Rng {
  let hash = Math.imul((row + 0x6d2b79f5) ^ streamSeed, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return new Rng(hash >>> 0);
}

export function digits(rng: Rng, count: number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += String(rng.int(0, 9));
  return out;
}
