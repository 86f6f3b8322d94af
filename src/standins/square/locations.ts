import type { StandInClock } from '../standin-server.js';
import { IdCodec, UPPER36 } from './ids.js';
import { formatRfc3339 } from './rfc3339.js';
import { CITIES, LOCATION_NAMES, STREETS, rowRng } from './sample-data.js';
import { deriveSeed } from '../seeded-rng.js';

/**
 * The seller's locations. The first one is the main location, which ListPayments falls back to when no
 * `location_id` is sent.
 */
export interface SquareLocation {
  id: string;
  name: string;
  address: { address_line_1: string; locality: string; administrative_district_level_1: string; postal_code: string; country: string };
  timezone: string;
  capabilities: string[];
  status: 'ACTIVE' | 'INACTIVE';
  created_at: string;
  merchant_id: string;
  country: string;
  language_code: string;
  currency: string;
  business_name: string;
  type: 'PHYSICAL' | 'MOBILE';
  mcc: string;
}

export interface LocationInput {
  name?: string;
  currency?: string;
  status?: 'ACTIVE' | 'INACTIVE';
  type?: 'PHYSICAL' | 'MOBILE';
}

export class Locations {
  private readonly list: SquareLocation[] = [];
  private readonly codec: IdCodec;
  private readonly detailSeed: number;

  constructor(
    private readonly clock: StandInClock,
    private readonly merchantId: string,
    private readonly businessName: string,
    seed: number,
  ) {
    this.codec = new IdCodec(seed, 'location', { length: 13, alphabet: UPPER36, prefix: 'L' });
    this.detailSeed = deriveSeed(seed, 'location-details');
  }

  add(input: LocationInput = {}): SquareLocation {
    if (this.list.length >= 0xffff) throw new Error('too many locations');
    const index = this.list.length;
    const rng = rowRng(this.detailSeed, index);
    const [city, state, zip] = rng.pick(CITIES);
    const location: SquareLocation = {
      id: this.codec.encode(index),
      name: input.name ?? LOCATION_NAMES[index % LOCATION_NAMES.length] + (index >= LOCATION_NAMES.length ? ` ${index + 1}` : ''),
      address: { address_line_1: `${rng.int(1, 2999)} ${rng.pick(STREETS)}`, locality: city, administrative_district_level_1: state, postal_code: `${zip}${rng.int(10, 99)}`, country: 'US' },
      timezone: state === 'CA' || state === 'WA' || state === 'OR' ? 'America/Los_Angeles' : state === 'CO' ? 'America/Denver' : 'America/Chicago',
      capabilities: ['CREDIT_CARD_PROCESSING', 'AUTOMATIC_TRANSFERS'],
      status: input.status ?? 'ACTIVE',
      created_at: formatRfc3339(this.clock.now()),
      merchant_id: this.merchantId,
      country: 'US',
      language_code: 'en-US',
      currency: input.currency ?? 'USD',
      business_name: this.businessName,
      type: input.type ?? 'PHYSICAL',
      mcc: '5812',
    };
    this.list.push(location);
    return location;
  }

  all(): readonly SquareLocation[] {
    return this.list;
  }

  get count(): number {
    return this.list.length;
  }

  at(index: number): SquareLocation {
    const location = this.list[index];
    if (!location) throw new Error(`no location #${index}`);
    return location;
  }

  /** The index of a location id, or null when it is not one of this seller's. */
  indexOf(id: string): number | null {
    const index = this.codec.decode(id);
    return index !== null && index < this.list.length ? index : null;
  }
}
