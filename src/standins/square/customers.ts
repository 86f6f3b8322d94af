import { deriveSeed } from '../seeded-rng.js';
import { formatRfc3339 } from './rfc3339.js';
import { RowTable } from './row-table.js';
import { CITIES, COMPANY_NAMES, EMAIL_DOMAINS, FAMILY_NAMES, GIVEN_NAMES, STREETS, digits, rowRng } from './sample-data.js';
import { SortIndex } from './sort-index.js';
import type { SquareIds } from './square-ids.js';

/**
 * Customer profiles. Generated rows derive their names and contacts from the row seed; profiles created or
 * edited by a test keep those fields in an overlay (null there means "cleared").
 */
export const CUSTOMER_TEXT_FIELDS = ['given_name', 'family_name', 'company_name', 'nickname', 'email_address', 'phone_number', 'reference_id', 'note', 'birthday'] as const;
export type CustomerTextField = (typeof CUSTOMER_TEXT_FIELDS)[number];
export type CustomerFields = Partial<Record<CustomerTextField, string | null>>;

export interface SquareCustomer {
  id: string;
  created_at: string;
  updated_at: string;
  given_name?: string;
  family_name?: string;
  company_name?: string;
  nickname?: string;
  email_address?: string;
  phone_number?: string;
  reference_id?: string;
  note?: string;
  birthday?: string;
  address?: { address_line_1: string; locality: string; administrative_district_level_1: string; postal_code: string; country: string };
  preferences: { email_unsubscribed: boolean };
  creation_source: string;
  version: number;
}

const GENERATED_SOURCES = ['THIRD_PARTY', 'DIRECTORY', 'INSTANT_PROFILE', 'IMPORT', 'ONLINE_STORE'] as const;

export class CustomerStore {
  readonly table = new RowTable();
  /** Explicit fields; a row with an overlay whose `explicit` is true has no derived fields at all. */
  readonly overlays = new Map<number, { explicit: boolean; fields: CustomerFields; creationSource?: string }>();
  readonly byCreated = new SortIndex(this.table, (row) => this.table.created.get(row));
  readonly byUpdated = new SortIndex(this.table, (row) => this.table.updated.get(row));
  /** Square's DEFAULT order: given + family name, else company, email, phone; compared case-insensitively. */
  readonly byName = new SortIndex(this.table, (row) => this.defaultSortKey(row));
  private readonly detailSeed: number;

  constructor(
    private readonly ids: SquareIds,
    seed: number,
  ) {
    this.detailSeed = deriveSeed(seed, 'customer-details');
  }

  get count(): number {
    return this.table.size;
  }

  id(row: number): string {
    return this.ids.customer.encode(row);
  }

  /** The row of a live (not deleted) customer id, or null. */
  rowOf(id: string): number | null {
    const row = this.ids.customer.decode(id);
    return row !== null && row < this.table.size && this.table.deleted.get(row) === 0 ? row : null;
  }

  /** Text fields: explicit ones from the overlay, the rest derived from the row seed. */
  fields(row: number): CustomerFields {
    const overlay = this.overlays.get(row);
    const derived = overlay?.explicit ? {} : this.derivedFields(row);
    return { ...derived, ...overlay?.fields };
  }

  render(row: number): SquareCustomer {
    const t = this.table;
    const rng = rowRng(deriveSeed(this.detailSeed, 'extra'), row);
    const overlay = this.overlays.get(row);
    const customer: SquareCustomer = {
      id: this.id(row),
      created_at: formatRfc3339(t.created.get(row)),
      updated_at: formatRfc3339(t.updated.get(row)),
      preferences: { email_unsubscribed: rng.chance(0.08) },
      creation_source: overlay?.creationSource ?? rng.pick(GENERATED_SOURCES),
      version: t.version.get(row),
    };
    for (const [field, value] of Object.entries(this.fields(row))) {
      if (typeof value === 'string') customer[field as CustomerTextField] = value;
    }
    if (!overlay?.explicit && rng.chance(0.5)) {
      const [city, state, zip] = rng.pick(CITIES);
      customer.address = { address_line_1: `${rng.int(1, 9999)} ${rng.pick(STREETS)}`, locality: city, administrative_district_level_1: state, postal_code: `${zip}${digits(rng, 2)}`, country: 'US' };
    }
    return customer;
  }

  defaultSortKey(row: number): string {
    const fields = this.fields(row);
    const name = `${fields.given_name ?? ''}${fields.family_name ?? ''}`;
    return (name || fields.company_name || fields.email_address || fields.phone_number || '').toLowerCase();
  }

  private derivedFields(row: number): CustomerFields {
    const rng = rowRng(this.detailSeed, row);
    const kind = rng.weighted<'person' | 'company' | 'email-only'>([['person', 85], ['company', 10], ['email-only', 5]]);
    const given = rng.pick(GIVEN_NAMES);
    const family = rng.pick(FAMILY_NAMES);
    const local = `${given}.${family}`.toLowerCase().replace(/[^a-z.]/g, '') + String(row % 1000);
    const fields: CustomerFields = { email_address: `${local}@${rng.pick(EMAIL_DOMAINS)}` };
    if (kind === 'person') {
      fields.given_name = given;
      fields.family_name = family;
      if (rng.chance(0.6)) fields.phone_number = `+1${rng.pick(['206', '415', '503', '512', '720'])}555${digits(rng, 4)}`;
    } else if (kind === 'company') {
      fields.company_name = rng.pick(COMPANY_NAMES);
    }
    if (rng.chance(0.2)) fields.reference_id = `CRM-${digits(rng, 6)}`;
    return fields;
  }
}
